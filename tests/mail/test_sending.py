"""The outbox sent to a real SMTP server: what arrives, and what each failure leads to."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from timesyncer_gui import BookingRequest
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.domain.outbox import MessageState
from timesyncer_gui.mail.config import MailSettings
from timesyncer_gui.mail.sender import OutboxSender
from timesyncer_gui.storage import Repository

from .conftest import NOW, PASSWORD, USER, Server, SilentServer

LONDON = ZoneInfo("Europe/London")
# Monday 30 March 2026, the first working day of British Summer Time: 09:00 local is 08:00 UTC.
START = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def book(
    repo: Repository,
    name: str = "José García",
    email: str = "jose@example.com",
    start: datetime = START,
) -> int:
    return repo.book(BookingRequest(name, email, start, start + timedelta(minutes=30))).id


def sender(
    repo: Repository, server: Server, clock: FixedClock, settings: MailSettings | None = None
) -> OutboxSender:
    chosen = settings or server.settings
    return OutboxSender(repo.outbox, lambda: chosen, (), LONDON, clock, server.transport)


def states(repo: Repository) -> list[tuple[str, str, int]]:
    return [(m.kind.value, m.state.value, m.attempts) for m in reversed(repo.outbox.page())]


def test_the_confirmation_arrives_with_the_right_time_zone_and_calendar(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    booking_id = book(mail_repo)
    report = sender(mail_repo, server, clock).run_once()
    assert (report.sent, report.waiting, report.problem) == (1, 0, "")

    [email] = server.mailbox.messages
    assert email["To"] == "José García <jose@example.com>"
    assert email["From"] == f"TimeSyncer <{USER}>"
    assert email["Subject"] == "Booking confirmed: Mon 30 Mar, 09:00"
    token = mail_repo.outbox.for_booking(booking_id)[0].token
    assert email["Message-ID"] == f"<{token}@clinic.example>"
    text = email.get_body(("plain",)).get_content()
    assert "Monday 30 March 2026, 09:00–09:30 BST (UTC+01:00, Europe/London)" in text
    assert f"quoting booking #{booking_id}" in text
    assert "Jos&eacute;" not in text
    html = email.get_body(("html",)).get_content()
    assert "Dear José García," in html

    [attachment] = [part for part in email.iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"booking-{booking_id}@clinic.example"
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(minutes=30)
    assert int(event["SEQUENCE"]) == 0
    assert states(mail_repo) == [("confirmation", "sent", 1)]


def test_a_move_raises_the_sequence_and_a_cancel_sends_method_cancel(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    booking_id = book(mail_repo)
    sender(mail_repo, server, clock).run_once()  # the customer has the confirmation
    mail_repo.move(booking_id, START + timedelta(hours=1), START + timedelta(hours=1, minutes=30))
    sender(mail_repo, server, clock).run_once()  # the customer has the move
    mail_repo.cancel(booking_id)
    sender(mail_repo, server, clock).run_once()
    subjects = [m["Subject"] for m in server.mailbox.messages]
    assert subjects == [
        "Booking confirmed: Mon 30 Mar, 09:00",
        "Booking moved: Mon 30 Mar, 10:00",
        "Booking cancelled: Mon 30 Mar, 10:00",
    ]
    calendars = [
        Calendar.from_ical(next(m.iter_attachments()).get_content())
        for m in server.mailbox.messages
    ]
    assert [str(c["METHOD"]) for c in calendars] == ["REQUEST", "REQUEST", "CANCEL"]
    # The same words for a new time and a new room alike: the details say which changed.
    moved = server.mailbox.messages[1].get_body(("plain",)).get_content()
    assert "Your booking has changed. Here is when and where it is now." in moved
    events = [c.walk("VEVENT")[0] for c in calendars]
    assert {str(e["UID"]) for e in events} == {f"booking-{booking_id}@clinic.example"}
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 1]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_a_verified_certificate_and_a_login(
    mail_repo: Repository, clock: FixedClock, start_server: object, security: str
) -> None:
    server = start_server(security=security, login=True)  # type: ignore[operator]
    book(mail_repo)
    report = sender(mail_repo, server, clock).run_once()
    assert report.sent == 1, report.problem
    assert server.mailbox.logins == [USER]


def test_a_wrong_password_pauses_sending_until_the_settings_are_fixed(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server(security="starttls", login=True)  # type: ignore[operator]
    book(mail_repo)
    current = {"settings": server.settings._replace(password="wrong")}
    mailer = OutboxSender(
        mail_repo.outbox, lambda: current["settings"], (), LONDON, clock, server.transport
    )
    report = mailer.run_once()
    assert report.paused and report.sent == 0
    assert "refused the login" in report.problem and "EMAIL_PASS" in report.problem
    assert PASSWORD not in report.problem and "wrong" not in report.problem
    assert states(mail_repo) == [("confirmation", "queued", 0)]  # the try is not counted
    tried = len(server.mailbox.logins)
    assert tried >= 1

    clock.advance(timedelta(minutes=5))
    assert mailer.run_once().paused  # same settings: still paused, no new login attempt
    assert len(server.mailbox.logins) == tried

    current["settings"] = server.settings  # the password is corrected
    assert mailer.run_once().sent == 1
    assert len(server.mailbox.messages) == 1


def test_a_server_without_starttls_gets_nothing_in_plaintext(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server(security="starttls", offer_starttls=False)  # type: ignore[operator]
    book(mail_repo)
    report = sender(mail_repo, server, clock).run_once()
    assert report.paused
    assert "does not offer STARTTLS" in report.problem
    assert server.mailbox.messages == []


def test_a_certificate_that_does_not_verify_pauses_sending(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    import ssl

    server = start_server(security="ssl")  # type: ignore[operator]
    book(mail_repo)
    untrusting = OutboxSender(
        mail_repo.outbox,
        lambda: server.settings,
        (),
        LONDON,
        clock,
        lambda s: __import__("timesyncer_gui.mail.transport", fromlist=["x"]).SmtpTransport(
            s, ssl.create_default_context()
        ),
    )
    report = untrusting.run_once()
    assert report.paused and "could not be verified" in report.problem
    assert server.mailbox.messages == []


def test_451_is_retried_a_minute_later_and_then_delivered(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    server.mailbox.data_replies.append("451 4.3.0 Try again later")
    book(mail_repo)
    mailer = sender(mail_repo, server, clock)
    report = mailer.run_once()
    assert (report.sent, report.retrying) == (0, 1)
    [message] = mail_repo.outbox.page()
    assert message.state is MessageState.QUEUED
    assert message.next_attempt == NOW + timedelta(minutes=1)
    assert message.last_error == "the server answered 451 4.3.0 Try again later"

    clock.advance(timedelta(seconds=30))
    assert mailer.run_once().sent == 0  # not due yet
    clock.advance(timedelta(seconds=30))
    assert mailer.run_once().sent == 1
    assert states(mail_repo) == [("confirmation", "sent", 2)]


def test_550_fails_at_once_keeping_the_servers_reply(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    server.mailbox.rcpt_reply = "550 5.1.1 No such mailbox here"
    book(mail_repo)
    report = sender(mail_repo, server, clock).run_once()
    assert report.failed == 1
    [message] = mail_repo.outbox.page()
    assert message.state is MessageState.FAILED
    assert "550 5.1.1 No such mailbox here" in (message.last_error or "")


def test_a_server_down_at_booking_time_gets_the_mail_when_it_comes_back(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    from .conftest import free_port

    port = free_port()
    down = MailSettings("localhost", port, "none", "", "", USER, 2.0)
    book(mail_repo)
    holder: dict[str, Server] = {}

    def transport(settings: MailSettings) -> object:
        from timesyncer_gui.mail.transport import SmtpTransport

        return SmtpTransport(settings)

    mailer = OutboxSender(mail_repo.outbox, lambda: down, (), LONDON, clock, transport)
    report = mailer.run_once()
    assert report.retrying == 1
    assert report.unreachable_since == NOW
    assert "refused the connection" in report.problem
    # A pass with nothing due yet still says why mail is held up.
    report = mailer.run_once()
    assert (report.retrying, report.unreachable_since) == (0, NOW)
    assert "refused the connection" in report.problem

    holder["server"] = start_server(port=port)  # type: ignore[operator]
    clock.advance(timedelta(minutes=1))
    report = mailer.run_once()
    assert report.sent == 1 and report.unreachable_since is None
    assert len(holder["server"].mailbox.messages) == 1


def test_a_booking_cancelled_while_the_server_refused_every_connection_sends_nothing(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    """Booked in error while the mail server was down, and cancelled: no try reached a
    server, so the customer never heard of it and hears nothing when the server is back."""
    from .conftest import free_port

    port = free_port()
    down = MailSettings("localhost", port, "none", "", "", USER, 2.0)
    booking_id = book(mail_repo)
    mailer = OutboxSender(mail_repo.outbox, lambda: down, (), LONDON, clock)
    assert mailer.run_once().retrying == 1  # refused: one try, which reached no server
    mail_repo.cancel(booking_id)
    server = start_server(port=port)  # type: ignore[operator]
    clock.advance(timedelta(hours=2))
    report = mailer.run_once()
    assert (report.sent, report.waiting) == (0, 0)
    assert server.mailbox.messages == []
    assert states(mail_repo) == [("confirmation", "skipped", 1)]


def test_a_booking_moved_twice_before_any_email_went_is_confirmed_once_at_its_last_time(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    booking_id = book(mail_repo)
    for hours in (1, 2):
        later = START + timedelta(hours=hours)
        mail_repo.move(booking_id, later, later + timedelta(minutes=30))
    sender(mail_repo, server, clock).run_once()
    assert [m["Subject"] for m in server.mailbox.messages] == [
        "Booking confirmed: Mon 30 Mar, 11:00"
    ]
    # Then moved again, twice, while the customer holds that confirmation: one move notice,
    # with the time that stands.
    for hours in (3, 4):
        later = START + timedelta(hours=hours)
        mail_repo.move(booking_id, later, later + timedelta(minutes=30))
    sender(mail_repo, server, clock).run_once()
    assert [m["Subject"] for m in server.mailbox.messages][1:] == [
        "Booking moved: Mon 30 Mar, 13:00"
    ]


def test_a_cancellation_waits_for_the_confirmation_being_retried_before_it(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    """A confirmation that timed out after its data (it may have arrived) is retried; the
    cancellation made meanwhile never overtakes it, so no "confirmed" follows a "cancelled"."""
    server = start_server()  # type: ignore[operator]
    booking_id = book(mail_repo)
    [confirmation] = mail_repo.outbox.claim_due(NOW)
    mail_repo.outbox.mark_retry(confirmation.id, "timed out", NOW + timedelta(minutes=10))
    mail_repo.cancel(booking_id)
    mailer = sender(mail_repo, server, clock)
    assert mailer.run_once().sent == 0  # the confirmation is not due yet; nor is what follows
    clock.advance(timedelta(minutes=10))
    assert mailer.run_once().sent == 2
    assert [m["Subject"] for m in server.mailbox.messages] == [
        "Booking confirmed: Mon 30 Mar, 09:00",
        "Booking cancelled: Mon 30 Mar, 09:00",
    ]


def test_another_server_set_forgets_the_old_ones_outage(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    """The .env is edited to a server that works: the status stops saying the old one is
    unreachable at once, not only once an email is next due."""
    from .conftest import free_port

    server = start_server()  # type: ignore[operator]
    chosen = {"settings": MailSettings("localhost", free_port(), "none", "", "", USER, 2.0)}
    book(mail_repo)
    mailer = OutboxSender(mail_repo.outbox, lambda: chosen["settings"], (), LONDON, clock)
    assert mailer.run_once().unreachable_since == NOW
    chosen["settings"] = server.settings
    report = mailer.run_once()  # the confirmation's next try is a minute away
    assert (report.unreachable_since, report.problem, report.waiting) == (None, "", 1)


def test_retries_back_off_and_give_up_after_a_day(mail_repo: Repository, clock: FixedClock) -> None:
    from .conftest import free_port

    down = MailSettings("localhost", free_port(), "none", "", "", USER, 2.0)
    book(mail_repo)
    from timesyncer_gui.mail.transport import SmtpTransport

    mailer = OutboxSender(mail_repo.outbox, lambda: down, (), LONDON, clock, SmtpTransport)
    gaps = []
    for _ in range(40):
        mailer.run_once()
        [message] = mail_repo.outbox.page()
        if message.state is MessageState.FAILED:
            break
        gaps.append(message.next_attempt - clock.now())
        clock.set(message.next_attempt)
    minutes = [int(g.total_seconds() // 60) for g in gaps]
    assert minutes[:8] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert message.state is MessageState.FAILED
    assert "gave up after 24 hours" in (message.last_error or "")
    assert clock.now() - NOW >= timedelta(hours=24)


def test_a_server_that_never_answers_costs_one_timeout(
    mail_repo: Repository, clock: FixedClock, silent_server: SilentServer
) -> None:
    import time

    from timesyncer_gui.mail.transport import SmtpTransport

    hanging = MailSettings("127.0.0.1", silent_server.port, "none", "", "", USER, 1.0)
    book(mail_repo)
    mailer = OutboxSender(mail_repo.outbox, lambda: hanging, (), LONDON, clock, SmtpTransport)
    started = time.monotonic()
    report = mailer.run_once()
    assert time.monotonic() - started < 5
    assert report.retrying == 1
    assert "did not answer within 1 s" in report.problem


def test_no_mail_server_set_keeps_emails_waiting(mail_repo: Repository, clock: FixedClock) -> None:
    book(mail_repo)
    from timesyncer_gui.mail.transport import SmtpTransport

    mailer = OutboxSender(mail_repo.outbox, MailSettings, (), LONDON, clock, SmtpTransport)
    report = mailer.run_once()
    assert report.waiting == 1
    assert report.problem == "No mail server is set; emails wait in the outbox."
    assert states(mail_repo) == [("confirmation", "queued", 0)]


def test_a_booking_and_its_confirmation_are_written_together(mail_repo: Repository) -> None:
    """If the booking is refused, no email is queued; if it stands, its email stands too."""
    from timesyncer_gui import SlotUnavailable

    book(mail_repo)
    with pytest.raises(SlotUnavailable):
        book(mail_repo, name="Ben Li", email="ben@example.com")
    path = mail_repo.path  # type: ignore[attr-defined]
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT b.customer_name, o.kind FROM outbox o JOIN bookings b ON b.id = o.booking_id"
        ).fetchall()
    assert rows == [("José García", "confirmation")]


def test_a_line_break_in_a_name_can_never_reach_a_header() -> None:
    from timesyncer_gui.domain.outbox import MessageKind, OutboxMessage
    from timesyncer_gui.mail.compose import compose

    forged = OutboxMessage(
        1,
        1,
        MessageKind.CONFIRMATION,
        "ana@example.com",
        "Ana\r\nBcc: victim@example.com",
        START,
        START + timedelta(minutes=30),
        0,
        "t0k3n",
        MessageState.SENDING,
        1,
        NOW,
        NOW,
    )
    settings = MailSettings("localhost", 25, "none", "", "", USER, 5.0)
    with pytest.raises(ValueError):
        compose(forged, settings, LONDON, NOW).as_bytes()


def test_an_address_outside_ascii_goes_over_smtputf8(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server(smtputf8=True)  # type: ignore[operator]
    book(mail_repo, name="Zoë Ñuñez", email="zoë@example.com")
    report = sender(mail_repo, server, clock).run_once()
    assert (report.sent, report.failed) == (1, 0)
    [envelope] = server.mailbox.envelopes
    assert envelope.rcpt_tos == ["zoë@example.com"]
    to_line = next(line for line in envelope.content.splitlines() if line.startswith(b"To:"))
    assert to_line.decode() == "To: Zoë Ñuñez <zoë@example.com>"  # RFC 6532: UTF-8 headers
    [email] = server.mailbox.messages
    assert "Dear Zoë Ñuñez," in email.get_body(("plain",)).get_content()


def test_a_server_without_smtputf8_fails_only_that_message_and_says_why(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server(smtputf8=False)  # type: ignore[operator]
    book(mail_repo, name="Zoë", email="zoë@example.com")
    book(mail_repo, name="Ann", email="ann@example.com", start=START + timedelta(hours=1))
    report = sender(mail_repo, server, clock).run_once()
    assert (report.sent, report.failed, report.paused) == (1, 1, False)
    assert [m["To"] for m in server.mailbox.messages] == ["Ann <ann@example.com>"]
    [failed] = [m for m in mail_repo.outbox.page() if m.state is MessageState.FAILED]
    assert failed.recipient == "zoë@example.com"
    assert "needs a server that supports SMTPUTF8" in failed.last_error


def test_a_row_that_cannot_become_an_email_fails_alone_and_says_why(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    forged = book(mail_repo, name="Ana", email="ana@example.com")
    book(mail_repo, name="Ben", email="ben@example.com", start=START + timedelta(hours=1))
    path = mail_repo.path  # type: ignore[attr-defined]
    with sqlite3.connect(path) as raw:  # a script that went around the repository
        raw.execute(
            "UPDATE outbox SET customer_name = ? WHERE booking_id = ?",
            ("Ana\r\nBcc: victim@example.com", forged),
        )
    raw.close()
    report = sender(mail_repo, server, clock).run_once()
    assert (report.sent, report.failed) == (1, 1)
    assert [m["To"] for m in server.mailbox.messages] == ["Ben <ben@example.com>"]
    [failed] = [m for m in mail_repo.outbox.page() if m.state is MessageState.FAILED]
    assert failed.booking_id == forged
    assert failed.last_error.startswith("the email could not be written")


def test_a_body_line_beginning_with_from_arrives_as_written(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    book(mail_repo)
    book(mail_repo, name="Ann", email="ann@example.com", start=START + timedelta(hours=1))
    mailer = OutboxSender(
        mail_repo.outbox,
        lambda: server.settings,
        (),
        LONDON,
        clock,
        server.transport,
        desk_name="From Nine Studio",  # the desk's name ends each email on a line of its own
    )
    assert mailer.run_once().sent == 2
    for envelope, email in zip(server.mailbox.envelopes, server.mailbox.messages, strict=True):
        raw_lines = envelope.content.splitlines()
        assert not [line for line in raw_lines if line.startswith(b"From ")]  # mbox-safe
        text = email.get_body(("plain",)).get_content()
        assert text.rstrip().endswith("\nFrom Nine Studio")
        assert "<p>From Nine Studio</p>" in email.get_body(("html",)).get_content()


def test_a_shared_header_refuses_a_line_break_like_any_other() -> None:
    from timesyncer_gui.mail.headers import fixed

    with pytest.raises(ValueError, match="line break"):
        fixed("Subject", "Booked\r\nBcc: victim@example.com")
