"""Files the app must not use are refused with a sentence, and left exactly as they were."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from timesyncer_gui import BookingQuery, open_repository
from timesyncer_gui.storage import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnwritable,
    StorageError,
)

from .conftest import request


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(path: Path, kind: type[StorageError], **options: float) -> StorageError:
    with pytest.raises(kind) as caught:
        open_repository(f"sqlite:///{path}", **options)  # type: ignore[arg-type]
    return caught.value


def test_a_corrupted_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    path.write_bytes(os.urandom(8192))
    before = digest(path)
    error = refused(path, DatabaseCorrupt)
    assert "is not a TimeSyncer database, or it is damaged" in error.message
    assert "left untouched" in error.message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["timesyncer.db"]


def test_a_damaged_page_inside_a_real_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    with open_repository(f"sqlite:///{path}") as repo:  # type: ignore[attr-defined]
        for slot in range(200):
            repo.book(request(f"Customer {slot}", slot))
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 4] = os.urandom(8192)  # wreck two pages past the header
    path.write_bytes(bytes(data))
    with (
        pytest.raises(DatabaseCorrupt) as caught,
        open_repository(f"sqlite:///{path}") as repo,  # type: ignore[attr-defined]
    ):
        repo.list_bookings(BookingQuery(limit=1000))
        repo.count_bookings(BookingQuery())
    assert "damaged" in caught.value.message


def test_someone_elses_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices (total) VALUES (12.5)")
    before = digest(path)
    refused(path, DatabaseCorrupt)
    assert digest(path) == before


def test_a_file_from_a_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    with open_repository(f"sqlite:///{path}") as repo:  # type: ignore[attr-defined]
        repo.book(request("Ana Souza", 0))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
        conn.execute("PRAGMA journal_mode = DELETE")
    before = digest(path)
    error = refused(path, DatabaseTooNew)
    assert "written by a newer version of TimeSyncer (schema 99" in error.message
    assert "install the newer version" in error.message
    assert digest(path) == before


@contextmanager
def read_only_folder(path: Path) -> Iterator[Path]:
    """A folder nobody may write to. Root ignores permission bits, so as root the folder is a
    read-only tmpfs mount instead; the database is created in it before it turns read-only."""
    path.mkdir()
    if os.geteuid() != 0:
        yield path
        path.chmod(0o755)
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=False)


def make_read_only(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)
    else:
        path.chmod(0o555)


def test_a_new_database_in_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    with read_only_folder(tmp_path / "locked") as folder:
        make_read_only(folder)
        error = refused(folder / "timesyncer.db", DatabaseUnwritable)
        assert str(folder) in error.message
        assert "--data-dir" in error.message
        assert list(folder.iterdir()) == []


def test_an_existing_database_in_a_read_only_folder_is_refused_and_untouched(
    tmp_path: Path,
) -> None:
    with read_only_folder(tmp_path / "locked") as folder:
        path = folder / "timesyncer.db"
        with open_repository(f"sqlite:///{path}") as repo:  # type: ignore[attr-defined]
            repo.book(request("Ana Souza", 0))
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA journal_mode = DELETE")  # leave no -wal/-shm files behind
        conn.close()  # an open file would keep the folder from turning read-only
        before = digest(path)
        make_read_only(folder)
        error = refused(path, DatabaseUnwritable)
        assert "read-only" in error.message
        assert digest(path) == before


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(60)
"""


def test_a_database_locked_past_the_timeout_says_so_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "timesyncer.db"
    repo = open_repository(f"sqlite:///{path}", busy_timeout=0.5)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusy) as caught:
            repo.book(request("Ana Souza", 0))
        assert "in use by another program" in caught.value.message
        assert "Nothing was changed" in caught.value.message
    finally:
        holder.kill()
        holder.wait()
    assert repo.count_bookings(BookingQuery()) == 0
    repo.book(request("Ana Souza", 0))
    assert repo.count_bookings(BookingQuery()) == 1
    repo.close()


def test_a_folder_in_place_of_the_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "timesyncer.db").mkdir()
    error = refused(tmp_path / "timesyncer.db", DatabaseUnwritable)
    assert "is a folder" in error.message
