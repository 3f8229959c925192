"""A desk process for the concurrency and durability tests: books slots, reports every outcome.

Run as ``python racer.py race URL INDEX SLOTS ROUNDS GO_FILE MODE`` (MODE is ``aligned`` or
``shifted``) or ``python racer.py loop URL``. It is a separate program, not a thread, so the
races and the SIGKILL are between real processes with their own connections.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from timesyncer_gui import BookingRequest, SlotUnavailable, open_repository

BASE = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
SHIFT = timedelta(minutes=15)


def race(url: str, index: int, slots: int, rounds: int, go_file: Path, shifted: bool) -> None:
    """Say "ready", wait for ``go_file``, then try every slot ``rounds`` times in an order of
    this desk's own. With ``shifted``, odd-numbered desks book 15 minutes later, so partial
    overlaps race too. Prints one JSON line: counts, refusals, errors and when it was busy."""
    shift = SHIFT if shifted and index % 2 else timedelta(0)
    order = [slot for _ in range(rounds) for slot in range(slots)]
    random.Random(index).shuffle(order)
    booked: list[int] = []
    refused: list[list[int]] = []
    errors: list[str] = []
    with open_repository(url) as repo:  # type: ignore[attr-defined]
        print("ready", flush=True)
        while not go_file.exists():
            time.sleep(0.001)
        first = time.time()
        for slot in order:
            start = BASE + slot * HALF_HOUR + shift
            try:
                booking = repo.book(
                    BookingRequest(
                        f"Desk {index}", f"desk{index}@example.com", start, start + HALF_HOUR
                    )
                )
                booked.append(booking.id)
            except SlotUnavailable as exc:
                # What the desk was told stood in the way, to be checked against the file.
                refused.append(
                    [
                        int(start.timestamp()),
                        exc.booking_id or 0,
                        int(exc.start.timestamp()),
                        int(exc.end.timestamp()),
                    ]
                )
            except Exception as exc:  # every other outcome is reported, never hidden
                errors.append(f"{type(exc).__name__}: {exc}")
        last = time.time()
    outcome = {"booked": booked, "refused": refused, "errors": errors, "first": first, "last": last}
    print(json.dumps(outcome), flush=True)


def loop(url: str) -> None:
    """Book consecutive half hours until killed, printing "ID START" the moment book()
    returns: a printed booking is one the desk was told is stored."""
    with open_repository(url) as repo:  # type: ignore[attr-defined]
        slot = 0
        while True:
            start = BASE + slot * HALF_HOUR
            booking = repo.book(
                BookingRequest("Crash Test", "crash@example.com", start, start + HALF_HOUR)
            )
            print(f"{booking.id} {int(start.timestamp())}", flush=True)
            slot += 1


if __name__ == "__main__":
    if sys.argv[1] == "race":
        race(
            sys.argv[2],
            int(sys.argv[3]),
            int(sys.argv[4]),
            int(sys.argv[5]),
            Path(sys.argv[6]),
            sys.argv[7] == "shifted",
        )
    else:
        loop(sys.argv[2])
