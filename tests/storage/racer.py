"""A desk process for the race and crash tests: books slots and reports every outcome.

Run as ``python racer.py race URL INDEX SLOTS ROUNDS GO_FILE SHIFT`` or
``python racer.py loop URL``.
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


def race(url: str, index: int, slots: int, rounds: int, go_file: Path, shifted: bool) -> None:
    """Say "ready", then try every slot ``rounds`` times in a shuffled order once ``go_file``
    appears. With ``shifted``, odd-numbered desks book 15 minutes later, so partial overlaps
    race too."""
    shift = timedelta(minutes=15) if shifted and index % 2 else timedelta(0)
    order = [slot for _ in range(rounds) for slot in range(slots)]
    random.Random(index).shuffle(order)
    outcomes = {"booked": 0, "refused": 0, "errors": []}
    with open_repository(url) as repo:  # type: ignore[attr-defined]
        print("ready", flush=True)
        while not go_file.exists():
            time.sleep(0.001)
        for slot in order:
            start = BASE + slot * HALF_HOUR + shift
            try:
                repo.book(
                    BookingRequest(
                        f"Desk {index}", f"desk{index}@example.com", start, start + HALF_HOUR
                    )
                )
                outcomes["booked"] += 1
            except SlotUnavailable:
                outcomes["refused"] += 1
            except Exception as exc:  # every other outcome is reported, not hidden
                outcomes["errors"].append(f"{type(exc).__name__}: {exc}")
    print(json.dumps(outcomes), flush=True)


def loop(url: str) -> None:
    """Book consecutive slots forever, printing each id the moment book() returns."""
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
