"""The program as started from a terminal: its exit codes and what it says."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from timesyncer_gui import __version__


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "timesyncer_gui", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd,
        timeout=timeout,
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"TimeSyncer {__version__}"


def test_a_bad_setting_stops_start_up_with_exit_code_2_and_a_sentence(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path), env={"TIMESYNCER_SLOT_MINUTES": "soon"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "TIMESYNCER_SLOT_MINUTES is 'soon'" in result.stderr
    assert "a whole number of minutes" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "timesyncer.db").exists()


def test_a_damaged_database_stops_start_up_and_is_left_as_it_was(tmp_path: Path) -> None:
    damaged = tmp_path / "timesyncer.db"
    damaged.write_bytes(b"this is not a database at all" * 100)
    before = damaged.read_bytes()
    result = run("--data-dir", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("is not a TimeSyncer database, or it is damaged") == 1  # once
    assert "Traceback" not in result.stderr
    assert damaged.read_bytes() == before
    log = (tmp_path / "logs" / "app.log").read_text(encoding="utf-8")
    assert "cannot start" in log and "is not a TimeSyncer database" in log  # kept for support


@pytest.mark.slow
def test_the_app_starts_creates_its_files_and_logs(tmp_path: Path) -> None:
    environ = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log_file = tmp_path / "logs" / "app.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "timesyncer_gui", "--data-dir", str(tmp_path)],
        env=environ,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = log_file.read_text(encoding="utf-8") if log_file.exists() else ""
            if "main window shown" in text and "mail notifier started" in text:
                break
            assert process.poll() is None, process.communicate()
            time.sleep(0.1)
        else:
            pytest.fail("the main window was not shown within 60 seconds")
    finally:
        process.terminate()
        process.communicate(timeout=30)
    log_text = log_file.read_text(encoding="utf-8")
    assert f"TimeSyncer {__version__} starting; data in {tmp_path}" in log_text
    # The notifier starts only after the window has painted.
    assert log_text.index("main window shown") < log_text.index("mail notifier started")
    assert "mail notifier started: no mail server set" in log_text
    with sqlite3.connect(tmp_path / "timesyncer.db") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1
        assert conn.execute("SELECT name FROM resources").fetchall() == [("Main desk",)]


def test_self_test_passes_and_leaves_nothing_behind(tmp_path: Path) -> None:
    result = run("--self-test", cwd=tmp_path, env={"HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout
    assert not (tmp_path / "home" / ".local" / "share" / "TimeSyncer").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="filling a disk needs a tmpfs mount (root)")
def test_a_full_disk_stops_start_up_with_a_sentence(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], check=True)
    try:
        with contextlib.suppress(OSError), (disk / "filler").open("wb") as filler:
            filler.write(b"\0" * 1024 * 1024)  # more than fits: the disk is left full
        result = run("--data-dir", str(disk / "desk"), cwd=tmp_path)
    finally:
        subprocess.run(["umount", str(disk)], check=False)
    assert result.returncode == 1
    assert "is full" in result.stderr and "free some space" in result.stderr
    assert "Traceback" not in result.stderr


def test_reopening_on_the_admin_tab_over_a_damaged_index_starts_and_says_why(
    tmp_path: Path,
) -> None:
    """The Admin tab, remembered as the last one, lists bookings while the window is first
    shown; a damaged index there must be told, not crash the app."""
    from contextlib import closing

    from timesyncer_gui import BookingRequest, open_repository

    path = tmp_path / "timesyncer.db"
    with closing(open_repository(f"sqlite:///{path}")) as repo:
        for hour in range(9, 12):
            start = datetime(2031, 3, 3, hour, tzinfo=UTC)
            repo.book(BookingRequest("Ana", "ana@example.com", start, start + timedelta(hours=1)))
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'bookings_start'"
        ).fetchone()
    with path.open("r+b") as raw:  # the index's page overwritten, the bookings left whole
        raw.seek((root - 1) * page_size)
        raw.write(b"\x00" * page_size)
    (tmp_path / "window.ini").write_text("[window]\ntab=1\n", encoding="utf-8")

    result = run("--data-dir", str(tmp_path), "--exit-after-paint", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "first paint at" in result.stdout
    assert "SystemError" not in result.stderr and "Traceback" not in result.stderr
    log = (tmp_path / "logs" / "app.log").read_text(encoding="utf-8")
    assert "is not a TimeSyncer database, or it is damaged" in log
