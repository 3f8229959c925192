"""Files written by earlier versions open in this one with every booking kept, new files are
made once however many desks start together, and every connection is set up to be durable."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from timesyncer_gui import BookingQuery, BookingRequest, BookingStatus, SlotUnavailable
from timesyncer_gui import open_repository as open_url
from timesyncer_gui.storage import Repository
from timesyncer_gui.storage.connection import backup_path, register_fold
from timesyncer_gui.storage.migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

from .conftest import SCHEMA_V1, SLOT, V1_ROWS, T, at, epoch, make_old_file, request, sqlite_rows

# The first release's schema, frozen: files in the field were made from exactly this text.
SCHEMA_V1_SHA256 = "a27d7a516ba9d48b843c329b8adcbf49955fdf3a5d1988393ae8953869e0f278"


def open_repository(path: Path) -> Repository:
    return open_url(f"sqlite:///{path}")


def test_the_frozen_first_schema_has_not_changed() -> None:
    """Old files are rebuilt from this copy; editing it would hide a broken upgrade."""
    text = SCHEMA_V1.read_bytes()
    assert hashlib.sha256(text).hexdigest() == SCHEMA_V1_SHA256
    assert MIGRATIONS[0].strip() == text.decode("utf-8").strip()


def test_a_version_1_file_is_upgraded_and_keeps_every_booking(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_file(path, 1)
    assert sqlite_rows(path, "PRAGMA user_version") == [(1,)]
    with closing(open_repository(path)) as repo:
        bookings = repo.list_bookings(BookingQuery(sort="id"))
        assert [
            (
                b.resource_id,
                b.customer_name,
                b.customer_email,
                epoch(b.start),
                epoch(b.end),
                str(b.status),
                epoch(b.created),
                epoch(b.cancelled) if b.cancelled else None,
            )
            for b in bookings
        ] == V1_ROWS
        assert [b.id for b in bookings] == [1, 2, 3, 4]
        assert [(b.phone, b.notes) for b in bookings] == [("", "")] * 4
        assert bookings[0].created == datetime.fromtimestamp(T, UTC)
        assert [r.name for r in repo.resources()] == ["Main desk", "Room 2"]
        # Old customers are found by the search the new version added.
        assert [b.id for b in repo.list_bookings(BookingQuery(search="李雷"))] == [3]
        assert [b.id for b in repo.list_bookings(BookingQuery(search="souza"))] == [1]

        # The upgraded file works: the cancelled slot can be booked, the taken ones cannot.
        new = repo.book(
            BookingRequest("Dee Evans", "dee@example.com", at(1), at(2), phone="+1 555 0100")
        )
        assert (new.id, new.phone) == (5, "+1 555 0100")
        with pytest.raises(SlotUnavailable) as caught:
            repo.book(request("Eve Ng", 2, minutes=30))
        assert caught.value.booking_id == 3
        assert [m.kind for m in repo.outbox.for_booking(new.id)] == ["confirmation"]

    assert sqlite_rows(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
    assert sqlite_rows(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
    # The new columns exist in the file itself and default to empty text for old rows.
    assert sqlite_rows(path, "SELECT phone, notes FROM bookings WHERE id <= 4") == [("", "")] * 4
    # The database still guards itself against a writer that skips the app.
    with closing(sqlite3.connect(path)) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, created_utc) VALUES (1, 'Raw', 'raw@example.com', ?, ?, 0)",
            (epoch(at(0, 10)), epoch(at(0, 10) + SLOT)),
        )


@pytest.mark.parametrize("version", range(1, LATEST_VERSION))
def test_every_earlier_version_upgrades_to_the_latest(tmp_path: Path, version: int) -> None:
    path = tmp_path / f"v{version}.db"
    make_old_file(path, version)
    with closing(open_repository(path)) as repo:
        bookings = repo.list_bookings(BookingQuery(sort="id"))
        assert [b.customer_name for b in bookings] == [row[1] for row in V1_ROWS]
        assert [b.status for b in bookings] == [
            BookingStatus.BOOKED,
            BookingStatus.CANCELLED,
            BookingStatus.BOOKED,
            BookingStatus.BOOKED,
        ]
        assert repo.count_bookings(BookingQuery(search="wen")) == 1
        # Names written before search folded accents are found and sorted without them.
        assert repo.count_bookings(BookingQuery(search="JOSE 李雷")) == 1
        by_name = repo.list_bookings(BookingQuery(sort="customer"))
        assert [b.customer_name.split()[0] for b in by_name] == ["Ana", "Ben", "Cai", "José"]
        repo.book(request("New Customer", 10))
        assert repo.count_bookings(BookingQuery(search="new cust")) == 1  # folded, indexed
    assert sqlite_rows(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert sqlite_rows(path, "SELECT count(*) FROM bookings") == [(5,)]
    # The search index agrees with every booking's folded keys (rank 1: checked against them).
    check = "INSERT INTO bookings_search (bookings_search, rank) VALUES ('integrity-check', 1)"
    assert sqlite_rows(path, check) == []


def test_a_file_upgraded_without_fts5_still_finds_names_without_their_accents(
    tmp_path: Path,
) -> None:
    """Upgraded by a build whose SQLite had no FTS5, a file keeps schema 3's index over the
    names as typed; search then reads the folded keys row by row."""
    path = tmp_path / "no-fts5-upgrade.db"
    make_old_file(path, 4)
    with closing(sqlite3.connect(path)) as conn:
        register_fold(conn)
        conn.executescript(MIGRATIONS[4])  # schema 5; the index step was skipped
        conn.execute("PRAGMA user_version = 6")
    with closing(open_url(f"sqlite:///{path}")) as repo:
        assert repo.count_bookings(BookingQuery(search="JOSE 李雷")) == 1
        assert [b.customer_name for b in repo.list_bookings(BookingQuery(search="josé"))] == [
            V1_ROWS[2][1]
        ]


def test_a_copy_is_kept_before_an_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    make_old_file(path, 1)
    open_repository(path).close()
    copy = backup_path(path, 1)
    assert copy.is_file()
    assert sqlite_rows(copy, "PRAGMA user_version") == [(1,)]
    names = sqlite_rows(copy, "SELECT customer_name FROM bookings ORDER BY id")
    assert [n for (n,) in names] == [row[1] for row in V1_ROWS]
    # A file already at the latest version is opened without another copy.
    open_repository(path).close()
    assert sorted(p.name for p in tmp_path.glob("*.bak")) == [copy.name]


def test_a_new_file_is_marked_as_ours_at_the_latest_version(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with closing(open_repository(path)) as repo:
        assert [r.name for r in repo.resources()] == ["Main desk"]
    assert sqlite_rows(path, "PRAGMA application_id") == [(APPLICATION_ID,)]
    assert sqlite_rows(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
    assert list(tmp_path.glob("*.bak")) == []  # nothing to copy before making a new file


def test_the_repository_connection_uses_the_durable_settings(tmp_path: Path) -> None:
    """WAL lets readers and the writer work at once, FULL makes a commit survive a power cut,
    foreign keys keep emails tied to bookings, the busy timeout lets desks queue."""
    with closing(open_repository(tmp_path / "x.db")) as repo:
        conn: sqlite3.Connection = repo._conn  # type: ignore[attr-defined]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    # WAL is a property of the file, so every later connection finds it too.
    assert sqlite_rows(tmp_path / "x.db", "PRAGMA journal_mode") == [("wal",)]


OPENER = """
import logging, sys, time
from pathlib import Path
from timesyncer_gui import open_repository

logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s: %(message)s")
go = Path(sys.argv[2])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
with open_repository(sys.argv[1]) as repo:
    print(len(repo.resources()), repo._conn.execute("PRAGMA user_version").fetchone()[0])
"""


@pytest.mark.parametrize("desks", [2, 8])
def test_desks_opening_a_new_file_at_once_all_get_in(tmp_path: Path, desks: int) -> None:
    """Several desks started together on a new file: each opens it, the schema is made once."""
    path = tmp_path / "fresh.db"
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, f"sqlite:///{path}", str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(desks)
    ]
    try:
        for proc in procs:  # every desk is waiting at the line before any of them opens
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        go.touch()
        outputs = [proc.communicate(timeout=60) for proc in procs]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
    assert [p.returncode for p in procs] == [0] * desks, outputs
    assert [out.split() for out, _ in outputs] == [["1", str(LATEST_VERSION)]] * desks
    upgraders = [err for _, err in outputs if "upgrading" in err]
    assert len(upgraders) == 1, [err for _, err in outputs]  # one desk made the schema
    assert upgraders[0].count(f"to schema {LATEST_VERSION}\n") == 1
    assert sqlite_rows(path, "SELECT count(*) FROM resources") == [(1,)]
    assert sqlite_rows(path, "PRAGMA integrity_check") == [("ok",)]


def open_with_another_desk_before(
    path: Path, step: int, monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Open ``path``, pausing before this desk's ``step``-th statement while another desk opens
    it; the statements this desk ran (not those SQLite runs inside them)."""
    from timesyncer_gui.storage import SQLiteRepository
    from timesyncer_gui.storage import connection as connection_module

    real_connect = sqlite3.connect
    statements: list[str] = []

    def before_each(sql: str) -> None:
        if not sql.startswith("--"):
            statements.append(sql)
            if len(statements) == step:
                SQLiteRepository(path).close()

    def connect_and_interleave(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        monkeypatch.setattr(connection_module.sqlite3, "connect", real_connect)  # once
        conn.set_trace_callback(before_each)
        return conn

    monkeypatch.setattr(connection_module.sqlite3, "connect", connect_and_interleave)
    with closing(SQLiteRepository(path)) as repo:
        repo._conn.set_trace_callback(None)
        assert len(repo.resources()) == 1
    return statements


def test_a_desk_opens_a_new_file_whichever_step_another_desk_makes_it_between(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every interleaving, in turn: another desk opens the new file, and so makes its schema,
    just before this desk's n-th statement, up to the one that takes the write lock (from
    there the other desk can only wait). Each time this desk gets in, on a file made once.

    (Several desks started together found this: one read the new file's empty header, then
    the tables another desk had made meanwhile, and refused the file as not its own.)
    """
    tried: list[str] = []
    while not tried or tried[-1] != "BEGIN IMMEDIATE":
        path = tmp_path / f"fresh-{len(tried)}.db"
        statements = open_with_another_desk_before(path, len(tried) + 1, monkeypatch)
        assert sqlite_rows(path, "PRAGMA user_version") == [(LATEST_VERSION,)]
        assert sqlite_rows(path, "SELECT count(*) FROM resources") == [(1,)]
        tried.append(statements[len(tried)])
    assert len(tried) >= 5, tried
