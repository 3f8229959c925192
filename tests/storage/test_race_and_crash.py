"""Real processes racing for the same slots, and a real SIGKILL in the middle of booking."""

from __future__ import annotations

import itertools
import json
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from timesyncer_gui import open_repository

RACER = Path(__file__).with_name("racer.py")
DESKS = 8
SLOTS = 50
ROUNDS = 4


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["aligned", "shifted"])
def test_eight_processes_racing_over_fifty_slots_never_double_book(
    tmp_path: Path, mode: str
) -> None:
    path = tmp_path / "race.db"
    url = f"sqlite:///{path}"
    open_repository(url).close()  # the schema exists before the race starts
    go = tmp_path / "go"
    desks = [
        subprocess.Popen(
            [
                sys.executable,
                str(RACER),
                "race",
                url,
                str(i),
                str(SLOTS),
                str(ROUNDS),
                str(go),
                mode,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(DESKS)
    ]
    for desk in desks:  # every desk has its connection open before any of them books
        assert desk.stdout is not None and desk.stdout.readline().strip() == "ready"
    go.touch()
    results = []
    for desk in desks:
        out, err = desk.communicate(timeout=300)
        assert desk.returncode == 0, err
        results.append(json.loads(out))

    attempts = sum(r["booked"] + r["refused"] + len(r["errors"]) for r in results)
    assert attempts == DESKS * SLOTS * ROUNDS >= 1600
    assert [e for r in results for e in r["errors"]] == []  # no "database is locked", nothing
    booked = sum(r["booked"] for r in results)

    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT start_utc, end_utc FROM bookings WHERE status = 'booked' ORDER BY start_utc"
        ).fetchall()
        overlaps = conn.execute(
            "SELECT count(*) FROM bookings a JOIN bookings b ON a.id < b.id"
            " AND a.resource_id = b.resource_id AND a.status = 'booked' AND b.status = 'booked'"
            " AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc"
        ).fetchone()[0]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert overlaps == 0
    assert booked == len(rows)
    # Every success stands in the file; the time the desks fought over is covered without gaps
    # wider than one slot, so each slot was won by somebody.
    if mode == "aligned":
        # Exactly one booking per slot: every slot won once, none twice.
        assert len(rows) == SLOTS
        assert len({start for start, _ in rows}) == SLOTS
    else:
        assert SLOTS // 2 <= len(rows) <= SLOTS + 1
        for (_, end), (start, _) in itertools.pairwise(rows):
            assert start - end < 1800


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_booking_reported_before_a_sigkill_is_in_the_file(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    kill_after = random.Random(seed).randint(20, 200)
    desk = subprocess.Popen(
        [sys.executable, str(RACER), "loop", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reported: list[tuple[int, int]] = []
    assert desk.stdout is not None
    while len(reported) < kill_after:
        line = desk.stdout.readline()
        assert line, desk.stderr.read() if desk.stderr else "the desk process stopped"
        booking_id, start = line.split()
        reported.append((int(booking_id), int(start)))
    desk.send_signal(signal.SIGKILL)
    desk.wait(timeout=30)
    assert desk.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(conn.execute("SELECT id, start_utc FROM bookings").fetchall())
    for booking_id, start in reported:
        assert stored.get(booking_id) == start
    with open_repository(url) as repo:  # type: ignore[attr-defined]
        from .conftest import request

        repo.book(request("After The Crash", 100_000))
