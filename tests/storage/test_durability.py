"""A booking the desk was told is stored survives the process being killed a moment later."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from timesyncer_gui import SlotUnavailable, open_repository

from .conftest import BASE, SLOT, epoch, request, sqlite_rows

RACER = Path(__file__).with_name("racer.py")
HALF_HOUR = int(SLOT.total_seconds())


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_booking_reported_before_a_sigkill_is_in_the_file(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "crash.db"
    url = f"sqlite:///{path}"
    kill_after = random.Random(seed).randint(20, 200)  # a different moment in each run
    desk = subprocess.Popen(
        [sys.executable, str(RACER), "loop", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reported: list[tuple[int, int]] = []
    try:
        assert desk.stdout is not None
        while len(reported) < kill_after:
            line = desk.stdout.readline()
            assert line, desk.communicate()[1]  # the desk stopped on its own: say why
            booking_id, start = line.split()
            reported.append((int(booking_id), int(start)))
        os.kill(desk.pid, signal.SIGKILL)  # no clean-up, no flush, no closing the file
        desk.wait(timeout=30)
    finally:
        desk.kill()
        desk.wait()
    assert desk.returncode == -signal.SIGKILL
    # The kill left committed work in the write-ahead log, so reading recovers from it.
    assert Path(f"{path}-wal").stat().st_size > 0

    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
    stored = dict(sqlite_rows(path, "SELECT id, start_utc FROM bookings"))
    for booking_id, start in reported:
        assert stored.get(booking_id) == start, f"booking #{booking_id} was reported, then lost"
    # Whatever was stored is whole: consecutive bookings, each with its confirmation email.
    # (The desk may have stored a few more than the parent read before the kill.)
    count = len(stored)
    assert count >= kill_after
    assert stored == {i: epoch(BASE) + (i - 1) * HALF_HOUR for i in range(1, count + 1)}
    assert sqlite_rows(
        path, "SELECT booking_id FROM outbox WHERE kind = 'confirmation' ORDER BY booking_id"
    ) == [(i,) for i in range(1, count + 1)]

    # The next start of the app opens the file and carries on.
    with closing(open_repository(url)) as repo:
        with pytest.raises(SlotUnavailable):
            repo.book(request("Late Comer", count - 1))  # the last stored slot is still held
        after = repo.book(request("After The Crash", count))
        assert after.id == count + 1
        assert repo.get(after.id).customer_name == "After The Crash"
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


def test_bookings_are_synced_to_the_disk_and_the_mail_workers_books_need_not_be(
    tmp_path: Path,
) -> None:
    """Bookings survive a power cut; the mail worker's own connection (claims, sent marks)
    survives a crash, and a power cut could only make an email go again."""
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    with open_repository(url) as desk, open_repository(url, durable=False) as mail:  # type: ignore[attr-defined]
        assert desk._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert mail._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert desk._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_second_repository_in_the_process_keeps_the_log_safe_from_other_desks(
    tmp_path: Path,
) -> None:
    """The window and its mail notifier each open the file; another desk then books and quits.
    That desk must still see this process as a user of the file and leave its write-ahead log
    alone, so every booking made here afterwards is kept."""
    path = tmp_path / "shared.db"
    url = f"sqlite:///{path}"
    with closing(open_repository(url)) as window, closing(open_repository(url)) as notifier:
        window.book(request("Ana Souza", 0))
        assert notifier.outbox.waiting() == 1  # Ana's confirmation, read as the notifier does
        ben = request("Ben Okafor", 1)
        other_desk = (
            "import sys\n"
            "from contextlib import closing\n"
            "from datetime import UTC, datetime\n"
            "from timesyncer_gui import BookingRequest, open_repository\n"
            "url, name, email, start, end = sys.argv[1:]\n"
            "start, end = (datetime.fromtimestamp(int(t), UTC) for t in (start, end))\n"
            "with closing(open_repository(url)) as repo:\n"
            "    repo.book(BookingRequest(name, email, start, end))\n"
        )
        arguments = [url, ben.customer_name, ben.customer_email, epoch(ben.start), epoch(ben.end)]
        subprocess.run(
            [sys.executable, "-c", other_desk, *map(str, arguments)], check=True, timeout=60
        )
        assert Path(f"{path}-wal").exists(), "the other desk deleted the log while in use"
        window.book(request("Chen Wei", 2))

        stored = sqlite_rows(path, "SELECT customer_name FROM bookings ORDER BY start_utc")
        assert stored == [("Ana Souza",), ("Ben Okafor",), ("Chen Wei",)]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
    stored = sqlite_rows(path, "SELECT customer_name FROM bookings ORDER BY start_utc")
    assert stored == [("Ana Souza",), ("Ben Okafor",), ("Chen Wei",)]
