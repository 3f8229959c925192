"""Reminders from the stored bookings, with a clock the tests move: due once, never twice."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.mail.sender import OutboxSender
from timesyncer_gui.storage import Repository

from .conftest import Server

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 BST, the day after the change
LEADS = (timedelta(hours=24), timedelta(hours=1))


def book(repo: Repository, start: datetime = START, name: str = "Amelia Watson") -> int:
    email = name.split()[0].lower() + "@example.org"
    return repo.book(BookingRequest(name, email, start, start + timedelta(minutes=30))).id


def mailer(repo: Repository, server: Server, clock: FixedClock) -> OutboxSender:
    return OutboxSender(
        repo.outbox, lambda: server.settings, LEADS, LONDON, clock, server.transport
    )


def reminders(server: Server) -> list[str]:
    return [m["Subject"] for m in server.mailbox.messages if m["Subject"].startswith("Reminder")]


def test_24_hour_and_1_hour_reminders_go_once_each_at_their_time(
    mail_repo: Repository, start_server: object, clock: FixedClock
) -> None:
    server = start_server()  # type: ignore[operator]
    book(mail_repo)
    send = mailer(mail_repo, server, clock)
    send.run_once()  # the confirmation
    # The clocks went forward on Sunday 29 March; 24 hours before is 08:00 UTC that Sunday.
    clock.set(START - timedelta(hours=24, minutes=1))
    assert send.run_once().queued_reminders == 0
    clock.set(START - timedelta(hours=24))
    report = send.run_once()
    assert (report.queued_reminders, report.sent) == (1, 1)
    [first] = [m for m in server.mailbox.messages if m["Subject"].startswith("Reminder")]
    body = first.get_body(("plain",)).get_content()
    assert "your session starts in 24 hours" in body
    assert "Monday 30 March 2026, 09:00–09:30 BST (UTC+01:00, Europe/London)" in body
    for _ in range(3):
        send.run_once()
    clock.set(START - timedelta(hours=1))
    assert send.run_once().sent == 1
    clock.advance(timedelta(minutes=20))
    send.run_once()
    assert reminders(server) == ["Reminder: Mon 30 Mar, 09:00"] * 2
    texts = [m.get_body(("plain",)).get_content() for m in server.mailbox.messages[1:]]
    assert "starts in 60 minutes" in texts[1]


def test_a_booking_made_inside_the_lead_gets_only_the_reminders_still_ahead(
    mail_repo: Repository, start_server: object, clock: FixedClock
) -> None:
    server = start_server()  # type: ignore[operator]
    clock.set(START - timedelta(hours=2))
    book(mail_repo)
    send = mailer(mail_repo, server, clock)
    send.run_once()
    clock.set(START - timedelta(hours=1))
    send.run_once()
    clock.set(START + timedelta(hours=1))
    send.run_once()
    assert len(reminders(server)) == 1  # the hour-before one; no "24 hours" email ever
    kinds = [(m.kind.value, m.lead_minutes, m.state.value) for m in mail_repo.outbox.page()]
    assert ("reminder", 1440, "skipped") not in kinds and ("reminder", 1440, "sent") not in kinds


def test_a_cancelled_booking_gets_no_reminder_even_if_one_was_queued(
    mail_repo: Repository, start_server: object, clock: FixedClock
) -> None:
    server = start_server()  # type: ignore[operator]
    gone = book(mail_repo)
    book(mail_repo, START + timedelta(hours=2), name="Ben Li")
    send = mailer(mail_repo, server, clock)
    mail_repo.cancel(gone)
    clock.set(START - timedelta(hours=24))
    send.run_once()
    assert [m["To"] for m in server.mailbox.messages if m["Subject"].startswith("Reminder")] == []
    clock.set(START - timedelta(hours=22))
    send.run_once()
    assert [m["To"] for m in server.mailbox.messages if m["Subject"].startswith("Reminder")] == [
        "Ben Li <ben@example.org>"
    ]


def test_after_downtime_a_missed_reminder_goes_if_the_session_is_ahead_else_is_skipped(
    mail_repo: Repository, start_server: object, clock: FixedClock
) -> None:
    server = start_server()  # type: ignore[operator]
    early = book(mail_repo, START, name="Amelia Watson")
    late = book(mail_repo, START + timedelta(hours=3), name="Ben Li")
    # No desk runs from a week before until 10:30 local (09:30 UTC) on the Monday.
    clock.set(START + timedelta(minutes=90))
    send = mailer(mail_repo, server, clock)
    send.run_once()
    [caught_up] = [m for m in server.mailbox.messages if m["Subject"].startswith("Reminder")]
    assert caught_up["To"] == "Ben Li <ben@example.org>"
    # The missed 24-hour reminder still goes, worded from now, not "in 24 hours".
    assert "starts in 90 minutes" in caught_up.get_body(("plain",)).get_content()
    clock.set(START + timedelta(hours=2))
    send.run_once()
    assert len(reminders(server)) == 2
    missed = [
        (m.lead_minutes, m.state.value, m.last_error)
        for m in mail_repo.outbox.for_booking(early)
        if m.kind.value == "reminder"
    ]
    assert sorted(missed) == [
        (60, "skipped", "missed while no desk was running; the session had started"),
        (1440, "skipped", "missed while no desk was running; the session had started"),
    ]
    assert {m.state.value for m in mail_repo.outbox.for_booking(late)} == {"sent"}


def test_a_moved_booking_is_reminded_of_its_new_time(
    mail_repo: Repository, start_server: object, clock: FixedClock
) -> None:
    server = start_server()  # type: ignore[operator]
    booking = book(mail_repo)
    send = mailer(mail_repo, server, clock)
    clock.set(START - timedelta(hours=24))
    send.run_once()
    later = START + timedelta(days=2)
    mail_repo.move(booking, later, later + timedelta(minutes=30))
    clock.set(later - timedelta(hours=24))
    send.run_once()
    assert reminders(server) == ["Reminder: Mon 30 Mar, 09:00", "Reminder: Wed 01 Apr, 09:00"]


def test_two_desks_on_one_database_send_each_reminder_exactly_once(
    tmp_path: Path, start_server: object
) -> None:
    server = start_server()  # type: ignore[operator]
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    clock = FixedClock(START - timedelta(days=3))
    with open_repository(url, clock=clock) as repo:  # type: ignore[attr-defined]
        for index in range(20):
            book(repo, START + timedelta(minutes=30 * index), name=f"Customer {index}")
    clock.set(START - timedelta(hours=1))  # every 24-hour reminder and the 09:00 1-hour one
    go = threading.Barrier(2)
    errors: list[BaseException] = []

    def desk() -> None:
        try:
            # As each desk's mail worker opens its own connection.
            with open_repository(url, clock=clock, durable=False) as repo:  # type: ignore[attr-defined]
                send = mailer(repo, server, clock)
                go.wait()
                for _ in range(5):
                    send.run_once()
        except BaseException as exc:  # reported below
            errors.append(exc)

    desks = [threading.Thread(target=desk, name=f"desk-{i}") for i in range(2)]
    for thread in desks:
        thread.start()
    for thread in desks:
        thread.join(timeout=60)
    assert errors == []
    subjects = [
        m["To"] + " " + m["Message-ID"]
        for m in server.mailbox.messages
        if m["Subject"].startswith("Reminder")
    ]
    assert len(subjects) == len(set(subjects))
    assert len(subjects) == 20 + 1
    confirmations = [m for m in server.mailbox.messages if m["Subject"].startswith("Booking")]
    assert len(confirmations) == 20


def test_a_session_that_starts_while_the_desk_sleeps_between_passes_is_recorded_as_skipped(
    mail_repo: Repository, start_server: object, clock: FixedClock
) -> None:
    server = start_server()  # type: ignore[operator]
    send = mailer(mail_repo, server, clock)
    clock.set(START - timedelta(days=2))
    send.run_once()  # a pass looks back a week; the next ones start from the one before
    napping = book(mail_repo, START, name="Amelia Watson")
    clock.set(START - timedelta(hours=25))
    send.run_once()  # the confirmation; no reminder is due yet
    # The computer sleeps from then until after the session has begun: no pass runs.
    clock.set(START + timedelta(hours=2))
    send.run_once()
    assert reminders(server) == []
    missed = sorted(
        (m.lead_minutes, m.state.value)
        for m in mail_repo.outbox.for_booking(napping)
        if m.kind.value == "reminder"
    )
    assert missed == [(60, "skipped"), (1440, "skipped")]
