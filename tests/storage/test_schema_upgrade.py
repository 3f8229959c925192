"""A database made by the first schema version opens in this one with every booking kept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from timesyncer_gui import BookingQuery, BookingStatus, open_repository
from timesyncer_gui.storage.migrations import APPLICATION_ID, LATEST_VERSION

from .conftest import at, request

SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")


def make_v1_file(path: Path) -> None:
    """A file exactly as the first release wrote it, from a frozen copy of its schema."""
    with sqlite3.connect(path) as conn:
        conn.executescript(SCHEMA_V1.read_text(encoding="utf-8"))
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        rows = [
            (
                1,
                "Ana Souza",
                "ana@example.com",
                int(at(0).timestamp()),
                int(at(1).timestamp()),
                "booked",
                1_700_000_000,
                None,
            ),
            (
                1,
                "Ben Li",
                "ben@example.com",
                int(at(1).timestamp()),
                int(at(2).timestamp()),
                "cancelled",
                1_700_000_100,
                1_700_000_200,
            ),
        ]
        conn.executemany(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, status, created_utc, cancelled_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def test_a_version_1_file_is_upgraded_and_keeps_every_booking(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_v1_file(path)
    with open_repository(f"sqlite:///{path}") as repo:  # type: ignore[attr-defined]
        bookings = repo.list_bookings(BookingQuery(sort="start"))
        assert [(b.customer_name, b.status, b.phone, b.notes) for b in bookings] == [
            ("Ana Souza", BookingStatus.BOOKED, "", ""),
            ("Ben Li", BookingStatus.CANCELLED, "", ""),
        ]
        assert bookings[0].created == datetime.fromtimestamp(1_700_000_000, UTC)
        # The upgraded file works: the cancelled slot can be booked, the taken one cannot.
        repo.book(request("Cai Wen", 1))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_frozen_first_schema_still_matches_the_first_migration() -> None:
    from timesyncer_gui.storage.migrations import MIGRATIONS

    assert MIGRATIONS[0].strip() == SCHEMA_V1.read_text(encoding="utf-8").strip()


def test_the_repository_connection_uses_the_durable_settings(tmp_path: Path) -> None:
    with open_repository(f"sqlite:///{tmp_path / 'x.db'}") as repo:  # type: ignore[attr-defined]
        conn: sqlite3.Connection = repo._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_eight_processes_opening_a_new_file_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    code = (
        "import sys\nfrom timesyncer_gui import open_repository\n"
        "with open_repository(sys.argv[1]) as repo:\n"
        "    print(len(repo.resources()))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, outputs
    assert [out.strip() for out, _ in outputs] == ["1"] * 8
    with sqlite3.connect(tmp_path / "fresh.db") as conn:
        assert conn.execute("SELECT count(*) FROM resources").fetchone()[0] == 1


def test_a_copy_is_kept_before_an_upgrade(tmp_path: Path) -> None:
    from timesyncer_gui.storage.connection import backup_path

    path = tmp_path / "old.db"
    make_v1_file(path)
    open_repository(f"sqlite:///{path}").close()
    copy = backup_path(path, 1)
    assert copy.is_file()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        names = [r[0] for r in conn.execute("SELECT customer_name FROM bookings ORDER BY id")]
    assert names == ["Ana Souza", "Ben Li"]
    # A file already at the latest version is opened without another copy.
    open_repository(f"sqlite:///{path}").close()
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == [copy.name]
