"""A backlog of emails is composed in a second process while this one sends: every email
still arrives, in order and intact, and nothing is lost if that process dies."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar

from timesyncer_gui import BookingRequest
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.domain.outbox import MessageState
from timesyncer_gui.mail.config import MailSettings
from timesyncer_gui.mail.sender import OutboxSender
from timesyncer_gui.mail.transport import SmtpTransport
from timesyncer_gui.storage import Repository

from .conftest import Server

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # Monday 30 March 2026, 09:00 BST
BACKLOG = 45


def book_backlog(repo: Repository, count: int = BACKLOG) -> list[int]:
    ids = []
    for index in range(count):
        start = START + timedelta(minutes=30 * index)
        request = BookingRequest(
            f"Customer {index}", f"c{index}@example.com", start, start + timedelta(minutes=30)
        )
        ids.append(repo.book(request).id)
    return ids


def test_a_backlog_is_composed_apart_and_every_email_arrives_intact_in_order(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server: Server = start_server()  # type: ignore[operator]
    ids = book_backlog(mail_repo)
    mailer = OutboxSender(
        mail_repo.outbox, lambda: server.settings, (), LONDON, clock, server.transport
    )
    report = mailer.run_once()

    assert (report.sent, report.failed, report.waiting) == (BACKLOG, 0, 0)
    assert mailer.renderer.rendered_apart == BACKLOG
    assert multiprocessing.active_children() == []  # the helper process is gone
    arrived = server.mailbox.messages
    assert [m["To"] for m in arrived] == [
        f"Customer {i} <c{i}@example.com>" for i in range(BACKLOG)
    ]
    last = arrived[-1]  # the 45th half-hour from Monday 09:00, all through the night
    assert "Tuesday 31 March 2026, 07:00–07:30 BST (UTC+01:00, Europe/London)" in (
        last.get_body(("plain",)).get_content()
    )
    [attachment] = list(last.iter_attachments())
    [event] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert str(event["UID"]) == f"booking-{ids[-1]}@clinic.example"
    tokens = {m.token for m in mail_repo.outbox.page(limit=100)}
    assert {m["Message-ID"].strip("<>").split("@")[0] for m in arrived} == tokens


def test_a_few_emails_are_composed_here_without_starting_a_process(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server: Server = start_server()  # type: ignore[operator]
    book_backlog(mail_repo, 3)
    mailer = OutboxSender(
        mail_repo.outbox, lambda: server.settings, (), LONDON, clock, server.transport
    )
    assert mailer.run_once().sent == 3
    assert mailer.renderer.rendered_apart == 0
    assert len(server.mailbox.messages) == 3


def test_a_bad_row_in_a_backlog_fails_alone_with_the_reason_from_the_helper(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server: Server = start_server()  # type: ignore[operator]
    ids = book_backlog(mail_repo)
    with sqlite3.connect(mail_repo.path) as raw:  # type: ignore[attr-defined]
        raw.execute(  # a script that went around the repository
            "UPDATE outbox SET customer_name = ? WHERE booking_id = ?",
            ("Eve\r\nBcc: victim@example.com", ids[10]),
        )
    raw.close()
    mailer = OutboxSender(
        mail_repo.outbox, lambda: server.settings, (), LONDON, clock, server.transport
    )
    report = mailer.run_once()
    assert (report.sent, report.failed) == (BACKLOG - 1, 1)
    assert all("victim" not in str(m) for m in server.mailbox.messages)
    [failed] = [m for m in mail_repo.outbox.page(limit=100) if m.state is MessageState.FAILED]
    assert failed.booking_id == ids[10]
    assert failed.last_error.startswith("the email could not be written")


def test_if_the_helper_process_is_killed_the_rest_is_composed_here_and_none_is_lost(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server: Server = start_server()  # type: ignore[operator]
    count = 70  # more than one batch of 50: the second meets the dead helper for certain
    book_backlog(mail_repo, count)
    mailer: OutboxSender

    class KillsTheHelper(SmtpTransport):
        """Sends as usual; after the first email, kills the process composing them."""

        killed = False

        def send(self, data: bytes, sender: str, recipient: str) -> None:
            super().send(data, sender, recipient)
            pool = mailer.renderer._pool
            if pool is not None and not KillsTheHelper.killed:
                KillsTheHelper.killed = True
                for process in list(pool._processes.values()):  # type: ignore[attr-defined]
                    os.kill(process.pid, signal.SIGKILL)

    def transport(settings: MailSettings) -> SmtpTransport:
        return KillsTheHelper(settings, ssl_context=server.client_context)

    mailer = OutboxSender(mail_repo.outbox, lambda: server.settings, (), LONDON, clock, transport)
    report = mailer.run_once()

    assert (report.sent, report.failed, report.waiting) == (count, 0, 0)
    assert {m.state for m in mail_repo.outbox.page(limit=100)} == {MessageState.SENT}
    recipients = [m["To"] for m in server.mailbox.messages]
    assert recipients == [f"Customer {i} <c{i}@example.com>" for i in range(count)]
    assert 1 <= mailer.renderer.rendered_apart < count
    assert multiprocessing.active_children() == []


def test_with_no_helper_process_to_be_had_the_backlog_is_composed_here(
    mail_repo: Repository, clock: FixedClock, start_server: object, monkeypatch: object
) -> None:
    from timesyncer_gui.mail import rendering

    monkeypatch.setattr(rendering, "_start_pool", lambda: None)  # type: ignore[attr-defined]
    server: Server = start_server()  # type: ignore[operator]
    book_backlog(mail_repo)
    mailer = OutboxSender(
        mail_repo.outbox, lambda: server.settings, (), LONDON, clock, server.transport
    )
    assert mailer.run_once().sent == BACKLOG
    assert mailer.renderer.rendered_apart == 0
    assert len(server.mailbox.messages) == BACKLOG


def test_stopping_mid_backlog_puts_the_rest_back_and_ends_the_helper(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server: Server = start_server()  # type: ignore[operator]
    book_backlog(mail_repo)
    mailer = OutboxSender(
        mail_repo.outbox, lambda: server.settings, (), LONDON, clock, server.transport
    )
    report = mailer.run_once(stop=lambda: len(server.mailbox.messages) >= 5)
    assert report.sent == 5
    # Stopping does not wait for the helper, which ends on its own within moments.
    deadline = time.monotonic() + 5
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert multiprocessing.active_children() == []
    states = [m.state for m in mail_repo.outbox.page(limit=100)]
    assert states.count(MessageState.QUEUED) == BACKLOG - 5
    assert states.count(MessageState.SENDING) == 0
    assert mailer.run_once().sent == BACKLOG - 5  # the next pass sends the rest, once each
    assert len({m["To"] for m in server.mailbox.messages}) == len(server.mailbox.messages)


def test_an_address_outside_ascii_in_a_backlog_still_goes_over_smtputf8(
    mail_repo: Repository, clock: FixedClock, start_server: object
) -> None:
    server: Server = start_server(smtputf8=True)  # type: ignore[operator]
    book_backlog(mail_repo)
    late = START + timedelta(days=3)
    mail_repo.book(
        BookingRequest("Zoë Ñuñez", "zoë@example.com", late, late + timedelta(minutes=30))
    )
    mailer = OutboxSender(
        mail_repo.outbox, lambda: server.settings, (), LONDON, clock, server.transport
    )
    assert mailer.run_once().sent == BACKLOG + 1
    assert mailer.renderer.rendered_apart == BACKLOG + 1
    envelope = server.mailbox.envelopes[-1]
    assert envelope.rcpt_tos == ["zoë@example.com"]
    to_line = next(line for line in envelope.content.splitlines() if line.startswith(b"To:"))
    assert to_line.decode() == "To: Zoë Ñuñez <zoë@example.com>"


def test_the_helper_process_collects_garbage_though_started_from_the_app(
    tmp_path: Path,
) -> None:
    """Started from the ``timesyncer`` command, a helper runs that script again, which imports
    the app's ``__main__`` and its pause of the collector for start-up: the helper undoes it."""
    script = tmp_path / "timesyncer_like.py"
    script.write_text(
        textwrap.dedent(
            """
            import gc

            from timesyncer_gui.__main__ import run  # as the installed command does
            from timesyncer_gui.mail.rendering import _start_pool

            if __name__ == "__main__":
                pool = _start_pool()
                print("helper collects:", pool.submit(gc.isenabled).result(timeout=60))
                pool.shutdown()
            """
        )
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert "helper collects: True" in result.stdout, result.stderr
