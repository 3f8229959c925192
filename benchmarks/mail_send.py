"""Sending the outbox, against a raw smtplib loop, and the reminder pass at a million bookings.

1. ``--emails`` confirmations (1,000 by default) queued in the outbox, delivered by the real
   sender (claiming batches of 50; a backlog this size is composed, with its .ics, in a
   second process while this one sends; one connection; each email marked sent) to a local
   aiosmtpd server; next to raw smtplib loops over one connection to the same server that
   send the same messages: already composed (the target's baseline), already serialised
   (the floor: nothing but SMTP), and composed inline by the same code (what an app
   without an outbox does). Medians of alternating runs.
2. The reminder pass (queue what is due, record what was missed) on a database holding
   ``--bookings`` bookings (1,000,000 by default): median time of one pass.

    python benchmarks/mail_send.py [--emails 1000] [--bookings 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aiosmtpd.controller import Controller
from seed import seed_bookings

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.mail.compose import compose
from timesyncer_gui.mail.config import MailSettings
from timesyncer_gui.mail.headers import SMTP_POLICY
from timesyncer_gui.mail.sender import OutboxSender

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2030, 1, 1, 8, 0, tzinfo=UTC)


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def queue_confirmations(folder: Path, emails: int, run: int) -> str:
    url = f"sqlite:///{folder / f'outbox-{run}.db'}"
    with open_repository(url, clock=FixedClock(NOW)) as repo:  # type: ignore[attr-defined]
        for index in range(emails):
            start = NOW + timedelta(days=30, minutes=30 * index)
            repo.book(
                BookingRequest(
                    f"Customer {index}",
                    f"c{index}@example.com",
                    start,
                    start + timedelta(minutes=30),
                )
            )
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings = MailSettings("127.0.0.1", port, "none", "", "", "desk@clinic.example", 10.0)
    ours: list[float] = []
    raw: list[float] = []
    raw_bytes: list[float] = []
    composing: list[float] = []
    inline: list[float] = []
    try:
        with tempfile.TemporaryDirectory(prefix="timesyncer-mail-") as name:
            folder = Path(name)
            for run in range(args.runs):
                url = queue_confirmations(folder, args.emails, run)
                # Opened as the app's mail worker opens its own connection.
                with open_repository(url, clock=FixedClock(NOW), durable=False) as repo:  # type: ignore[attr-defined]
                    messages = repo.outbox.page(limit=args.emails)
                    sender = OutboxSender(
                        repo.outbox, lambda: settings, (), LONDON, FixedClock(NOW)
                    )
                    began = time.perf_counter()
                    while repo.outbox.waiting():
                        sender.run_once()
                    ours.append(time.perf_counter() - began)
                # The raw loops are given what they need made beforehand; the outbox sender
                # ran without a thousand composed emails held in memory, as the app does.
                began = time.perf_counter()
                composed = [compose(m, settings, LONDON, NOW) for m in messages]
                composing.append(time.perf_counter() - began)
                began = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                    for message in composed:
                        smtp.send_message(message)
                raw.append(time.perf_counter() - began)
                data = [message.as_bytes(policy=SMTP_POLICY) for message in composed]
                del composed
                began = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                    for message, payload in zip(messages, data, strict=True):
                        smtp.sendmail(settings.sender, [message.recipient], payload)
                raw_bytes.append(time.perf_counter() - began)
                del data
                began = time.perf_counter()
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
                    for message in messages:
                        smtp.send_message(compose(message, settings, LONDON, NOW))
                inline.append(time.perf_counter() - began)
            delivered = sink.count
            med = {
                name: statistics.median(v)
                for name, v in (
                    ("raw", raw),
                    ("bytes", raw_bytes),
                    ("inline", inline),
                    ("ours", ours),
                    ("compose", composing),
                )
            }
            assert delivered == 4 * args.runs * args.emails, f"only {delivered:,} delivered"
            print(f"{args.emails:,} emails to a local aiosmtpd server, median of {args.runs} runs:")
            print(f"  raw smtplib loop, pre-composed messages:           {med['raw']:6.2f} s")
            print(f"  raw smtplib loop, pre-serialised bytes (scale):    {med['bytes']:6.2f} s")
            print(f"  raw smtplib loop composing each message inline:    {med['inline']:6.2f} s")
            print(f"  outbox sender (claim, compose, send, mark sent):   {med['ours']:6.2f} s")
            print(
                f"  ratio to the pre-composed loop: {med['ours'] / med['raw']:.2f}x "
                f"(target at most 1.5x); to the pre-serialised loop: "
                f"{med['ours'] / med['bytes']:.2f}x; to the inline loop: "
                f"{med['ours'] / med['inline']:.2f}x"
            )
            print(
                f"  composing one email (EmailMessage, .ics by icalendar): "
                f"{med['compose'] / args.emails * 1000:.2f} ms; sending one pre-composed: "
                f"{med['raw'] / args.emails * 1000:.2f} ms"
            )

            path = folder / "million.db"
            began = time.perf_counter()
            seed_bookings(path, args.bookings)
            print(f"seeded {args.bookings:,} bookings in {time.perf_counter() - began:.0f} s")
            with open_repository(f"sqlite:///{path}", durable=False) as repo:  # type: ignore[attr-defined]
                leads = (timedelta(hours=24), timedelta(hours=1))
                ticks = []
                moment = datetime(2016, 6, 6, 7, 0, tzinfo=UTC)  # inside the seeded years
                for step in range(40):
                    at = moment + timedelta(minutes=15 * step)
                    began = time.perf_counter()
                    # As the sender does: each pass after the first starts from the last.
                    since = at - timedelta(minutes=15) if step else None
                    repo.outbox.create_due_reminders(at, leads, since=since)
                    ticks.append((time.perf_counter() - began) * 1000)
                queued = repo.outbox.count()
            print(
                f"reminder pass with {args.bookings:,} bookings: median "
                f"{statistics.median(ticks[1:]):.1f} ms, first {ticks[0]:.1f} ms, "
                f"max {max(ticks):.1f} ms (target: median at most 5 ms); "
                f"{queued:,} reminders queued or recorded"
            )
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
