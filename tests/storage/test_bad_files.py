"""Files the app cannot use are refused with a sentence that says why and what to do, and
are left exactly as they were: same bytes, no side files, nothing half-written."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from timesyncer_gui import BookingQuery, open_repository
from timesyncer_gui.storage import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnwritable,
    Repository,
    StorageError,
)
from timesyncer_gui.storage.migrations import LATEST_VERSION

from .conftest import V1_ROWS, make_old_file, request, sha256, sqlite_rows

CORRUPT = "is not a TimeSyncer database, or it is damaged. It was left untouched"


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def refused(path: Path, kind: type[StorageError], busy_timeout: float = 5.0) -> StorageError:
    """Open ``path``, expecting ``kind``; the file and its folder must come out unchanged."""
    before = sha256(path) if path.is_file() else None
    listing = sorted(p.name for p in path.parent.iterdir()) if path.parent.is_dir() else None
    with pytest.raises(kind) as caught:
        open_repository(url(path), busy_timeout=busy_timeout)
    assert type(caught.value) is kind
    if before is not None:
        assert sha256(path) == before, "the refused file was changed"
    if listing is not None:
        assert sorted(p.name for p in path.parent.iterdir()) == listing, "side files were left"
    return caught.value


def saved_database(path: Path, journal_mode: str = "wal") -> None:
    """A real database with one booking, closed as the app leaves it (or in another journal
    mode, as a copy restored from a backup might be)."""
    with closing(open_repository(url(path))) as repo:
        repo.book(request("Ana Souza", 0))
    if journal_mode != "wal":
        with closing(sqlite3.connect(path)) as conn:
            conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


# -- not ours ---------------------------------------------------------------------------------


def test_a_file_of_random_bytes_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    path.write_bytes(random.Random(7).randbytes(8192))
    error = refused(path, DatabaseCorrupt)
    assert CORRUPT in error.message
    assert str(path) in error.message
    assert "restore it from a backup" in error.message


def test_a_sqlite_header_followed_by_garbage_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    path.write_bytes(b"SQLite format 3\x00" + random.Random(8).randbytes(8192 - 16))
    assert CORRUPT in refused(path, DatabaseCorrupt).message


def test_a_damaged_page_inside_a_real_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    with closing(open_repository(url(path))) as repo:
        for slot in range(200):
            repo.book(request(f"Customer {slot}", slot))
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 4] = random.Random(9).randbytes(8192)  # wreck two pages
    path.write_bytes(bytes(data))
    before = sha256(path)
    # Opening reads only the first page, so the damage may show at open or at the first read.
    with pytest.raises(DatabaseCorrupt) as caught, closing(open_repository(url(path))) as repo:
        repo.list_bookings(BookingQuery(limit=1000))
        repo.count_bookings(BookingQuery())
    assert CORRUPT in caught.value.message
    assert sha256(path) == before


FOREIGN = {
    "someone else's tables": [
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)",
        "INSERT INTO invoices (total) VALUES (12.5)",
    ],
    "another program's mark": [
        "PRAGMA application_id = 305419896",
        "CREATE TABLE bookings (id INTEGER PRIMARY KEY)",
        "INSERT INTO bookings (id) VALUES (1)",
    ],
    "a stranger with a version": [
        "PRAGMA user_version = 3",
        "CREATE TABLE notes (body TEXT)",
        "INSERT INTO notes (body) VALUES ('hello')",
    ],
    "a version but no mark": ["PRAGMA user_version = 2"],
}


@pytest.mark.parametrize("statements", FOREIGN.values(), ids=FOREIGN.keys())
def test_someone_elses_database_is_refused_and_untouched(
    tmp_path: Path, statements: list[str]
) -> None:
    """Never migrated into ours: that would add our tables to another program's file."""
    path = tmp_path / "timesyncer.db"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)
    error = refused(path, DatabaseCorrupt)
    assert CORRUPT in error.message
    assert "move it aside to start a new one" in error.message


def test_a_file_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    saved_database(path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 99")
    error = refused(path, DatabaseTooNew)
    assert "written by a newer version of TimeSyncer (schema 99" in error.message
    assert f"this version knows up to {LATEST_VERSION}" in error.message
    assert "install the newer version" in error.message
    assert "left untouched" in error.message


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "timesyncer.db").mkdir()
    error = refused(tmp_path / "timesyncer.db", DatabaseUnwritable)
    assert "is a folder, not a database file" in error.message


# -- read-only folders ------------------------------------------------------------------------


@contextmanager
def read_only_folder(
    path: Path, prepare: Callable[[Path], None] = lambda _: None
) -> Iterator[Path]:
    """A folder nobody may write to, holding whatever ``prepare`` put there first.

    Root ignores permission bits, so as root the folder is a tmpfs mounted read-only after
    ``prepare`` ran in it; otherwise it is a folder with mode 0o555."""
    path.mkdir()
    prepare = prepare or (lambda _: None)
    if os.geteuid() != 0:
        prepare(path)
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)], check=True)
    try:
        prepare(path)
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
        with pytest.raises(OSError):  # the folder really is read-only, even for root
            (path / "probe").write_bytes(b"")
        yield path
    finally:
        if subprocess.run(["umount", str(path)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(path)], check=False)


def says_choose_another_folder(error: StorageError, folder: Path) -> None:
    assert str(folder) in error.message
    assert "--data-dir" in error.message
    assert "Choose a folder you can write to" in error.message
    assert "TIMESYNCER_DB_URL (if it is set)" in error.message


def test_a_new_database_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "locked") as folder:
        error = refused(folder / "timesyncer.db", DatabaseUnwritable)
        says_choose_another_folder(error, folder)
        assert list(folder.iterdir()) == []


def test_a_missing_folder_on_a_read_only_disk_is_refused(tmp_path: Path) -> None:
    """The data folder does not exist yet and cannot be made there."""
    with read_only_folder(tmp_path / "locked") as folder:
        error = refused(folder / "TimeSyncer" / "timesyncer.db", DatabaseUnwritable)
        says_choose_another_folder(error, folder)
        assert list(folder.iterdir()) == []


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_an_existing_database_in_a_read_only_folder_is_refused_and_untouched(
    tmp_path: Path, journal_mode: str
) -> None:
    def prepare(folder: Path) -> None:
        saved_database(folder / "timesyncer.db", journal_mode)

    with read_only_folder(tmp_path / "locked", prepare) as folder:
        path = folder / "timesyncer.db"
        error = refused(path, DatabaseUnwritable)
        says_choose_another_folder(error, folder)
        assert "read-only" in error.message
        assert [p.name for p in folder.iterdir()] == ["timesyncer.db"]
        # The booking is still there, readable by anyone who looks.
        uri = f"file:{path}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            assert conn.execute("SELECT customer_name FROM bookings").fetchall() == [("Ana Souza",)]


# -- another program holding the lock ---------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute(sys.argv[2])
print("locked", flush=True)
time.sleep(120)
"""


@contextmanager
def lock_held(path: Path, begin: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the database's write lock until it is killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), begin],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked", holder.communicate()[1]
        yield holder
    finally:
        holder.kill()
        holder.wait()


def booked_names(path: Path) -> list[str]:
    return [n for (n,) in sqlite_rows(path, "SELECT customer_name FROM bookings ORDER BY id")]


@pytest.mark.parametrize("begin", ["BEGIN IMMEDIATE", "BEGIN EXCLUSIVE"])
def test_a_database_locked_past_the_timeout_says_so_and_changes_nothing(
    tmp_path: Path, begin: str
) -> None:
    path = tmp_path / "timesyncer.db"
    repo: Repository = open_repository(url(path), busy_timeout=0.5)
    try:
        ana = repo.book(request("Ana Souza", 0))
        with lock_held(path, begin):
            started = time.monotonic()
            with pytest.raises(DatabaseBusy) as caught:
                repo.book(request("Ben Li", 1))
            waited = time.monotonic() - started
            assert 0.45 <= waited < 5, f"gave up after {waited:.2f} s, not the 0.5 s timeout"
            assert caught.value.message == (
                "The booking database is in use by another program and stayed locked for "
                "more than 0.5 seconds. Nothing was changed; try again in a moment."
            )
            with pytest.raises(DatabaseBusy):
                repo.cancel(ana.id)
            # The desk can still read the day while another program writes.
            assert repo.get(ana.id).is_active
        # The other program is gone: the same booking now goes through, once.
        ben = repo.book(request("Ben Li", 1))
        assert repo.get(ben.id).customer_name == "Ben Li"
    finally:
        repo.close()
    assert booked_names(path) == ["Ana Souza", "Ben Li"]
    assert sqlite_rows(path, "SELECT kind, booking_id FROM outbox ORDER BY id") == [
        ("confirmation", ana.id),
        ("confirmation", ben.id),
    ]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


def test_an_upgrade_blocked_by_an_old_desk_says_so_and_changes_nothing(tmp_path: Path) -> None:
    """A new version opening a version-1 file that an old desk is still writing to."""
    path = tmp_path / "timesyncer.db"
    make_old_file(path, 1)
    with lock_held(path, "BEGIN IMMEDIATE"):
        error = refused(path, DatabaseBusy, busy_timeout=0.5)
        assert "in use by another program" in error.message
        assert "Nothing was changed" in error.message
    assert sqlite_rows(path, "PRAGMA user_version") == [(1,)]
    with closing(open_repository(url(path))) as repo:
        assert [b.customer_name for b in repo.list_bookings(BookingQuery(sort="id"))] == [
            row[1] for row in V1_ROWS
        ]
    assert sqlite_rows(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
