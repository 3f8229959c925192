"""Eight desk processes race for the same fifty slots: every slot is won exactly once.

The original web version checked with a SELECT and then INSERTed, and double-booked 3 to 5
of 50 slots with 8 concurrent writers; here the database decides inside one transaction.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from timesyncer_gui import open_repository

from .conftest import BASE, SLOT, epoch, sqlite_rows

RACER = Path(__file__).with_name("racer.py")
DESKS = 8
SLOTS = 50
ROUNDS = 4  # each desk tries each slot this many times, in its own shuffled order
HALF_HOUR = int(SLOT.total_seconds())
QUARTER = HALF_HOUR // 2


def race(path: Path, mode: str) -> list[dict[str, Any]]:
    """Start the desks, let them all get ready, fire the start signal, collect what each saw."""
    url = f"sqlite:///{path}"
    open_repository(url).close()  # the schema exists before the race starts
    go = path.with_name("go")

    def command(index: int) -> list[str]:
        args = [url, str(index), str(SLOTS), str(ROUNDS), str(go), mode]
        return [sys.executable, str(RACER), "race", *args]

    desks = [
        subprocess.Popen(command(i), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(DESKS)
    ]
    try:
        for desk in desks:  # every desk has its connection open before any of them books
            assert desk.stdout is not None
            assert desk.stdout.readline().strip() == "ready", desk.communicate()[1]
        go.touch()  # the start barrier: all desks are polling for this file
        results = []
        for desk in desks:
            out, err = desk.communicate(timeout=240)
            assert desk.returncode == 0, err
            results.append(json.loads(out))
        return results
    finally:
        for desk in desks:
            desk.kill()
            desk.wait()


OVERLAPPING_PAIRS = (
    "SELECT a.id, b.id FROM bookings AS a JOIN bookings AS b ON a.id < b.id"
    " AND a.resource_id = b.resource_id AND a.status = 'booked' AND b.status = 'booked'"
    " AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc"
)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["aligned", "shifted"])
def test_desks_racing_for_the_same_slots_never_double_book(tmp_path: Path, mode: str) -> None:
    """In "shifted", odd desks book 15 minutes later, so partial overlaps race too."""
    path = tmp_path / "race.db"
    results = race(path, mode)

    # Every attempt ended in a booking or a clear refusal; nothing else reached a desk
    # (no "database is locked", no integrity error).
    attempts = sum(len(r["booked"]) + len(r["refused"]) + len(r["errors"]) for r in results)
    assert attempts == DESKS * SLOTS * ROUNDS >= 1600
    assert [e for r in results for e in r["errors"]] == []
    # They really raced: every desk was still booking when the last one started.
    assert max(r["first"] for r in results) < min(r["last"] for r in results)

    rows = sqlite_rows(
        path,
        "SELECT id, start_utc, end_utc FROM bookings WHERE status = 'booked' ORDER BY start_utc",
    )
    assert sqlite_rows(path, OVERLAPPING_PAIRS) == []
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
    won = sorted(i for r in results for i in r["booked"])
    assert won == sorted(i for i, _, _ in rows)  # every success, and only those, in the file
    assert sqlite_rows(path, "SELECT count(*) FROM bookings") == [(len(rows),)]
    # Each booking was stored with its confirmation email, in the same transaction.
    assert sqlite_rows(
        path, "SELECT booking_id FROM outbox WHERE kind = 'confirmation' ORDER BY booking_id"
    ) == [(i,) for i in won]

    # Every refusal named a booking that is in the file and really overlaps what was asked.
    by_id = {i: (start, end) for i, start, end in rows}
    for asked, blocker, start, end in (x for r in results for x in r["refused"]):
        assert by_id[blocker] == (start, end)
        assert start < asked + HALF_HOUR and asked < end

    base = epoch(BASE)
    starts = [start for _, start, _ in rows]
    if mode == "aligned":
        # Every slot is covered exactly once.
        assert starts == [base + slot * HALF_HOUR for slot in range(SLOTS)]
    else:
        assert all((start - base) % QUARTER == 0 for start in starts)
        assert all(end - start == HALF_HOUR for _, start, end in rows)
        # The raced time is covered with no overlap and no hole a half hour would fit in:
        # such a hole would mean a desk was refused a slot nobody holds.
        assert starts[0] - base < HALF_HOUR
        for (_, _, end), (_, start, _) in itertools.pairwise(rows):
            assert 0 <= start - end < HALF_HOUR
        assert base + SLOTS * HALF_HOUR + QUARTER - rows[-1][2] < HALF_HOUR
