"""Storage fixtures: one repository contract, run against every backend the project has."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.domain.clock import Clock
from timesyncer_gui.storage import Repository
from timesyncer_gui.storage.connection import register_fold
from timesyncer_gui.storage.migrations import APPLICATION_ID, MIGRATIONS

BASE = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)  # a Monday, well in the future
SLOT = timedelta(minutes=30)

# A PostgreSQL backend joins this list (and Backend learns its URL and raw connection), and
# the whole contract runs against it too.
BACKENDS = ["sqlite"]


def at(slot: int, minutes: int = 0) -> datetime:
    """The start of the ``slot``-th half hour after BASE, shifted by ``minutes``."""
    return BASE + slot * SLOT + timedelta(minutes=minutes)


def epoch(instant: datetime) -> int:
    """Whole seconds since the epoch, as the SQLite schema stores instants."""
    return int(instant.timestamp())


def request(
    name: str,
    slot: int,
    *,
    minutes: int = 0,
    length: int = 30,
    resource_id: int = 1,
    email: str | None = None,
) -> BookingRequest:
    """A booking request for ``slot`` (shifted by ``minutes``) lasting ``length`` minutes."""
    start = at(slot, minutes)
    return BookingRequest(
        name,
        email or f"{name.split()[0].lower()}@example.com",
        start,
        start + timedelta(minutes=length),
        resource_id,
    )


def sha256(path: Path) -> str:
    """A file's fingerprint, to show a refused file was left exactly as it was."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_rows(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows read straight from the file with Python's own sqlite3, not through the app."""
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchall()


SCHEMA_V1 = Path(__file__).with_name("schema_v1.sql")
T = 1_700_000_000  # when the old bookings were made
# resource, name, email, start, end, status, created, cancelled: rows as version 1 wrote them.
V1_ROWS = [
    (1, "Ana Souza", "ana@example.com", epoch(at(0)), epoch(at(1)), "booked", T, None),
    (1, "Ben Li", "ben@example.com", epoch(at(1)), epoch(at(2)), "cancelled", T + 1, T + 2),
    (1, "José 李雷 👩‍⚕️", "jose@example.com", epoch(at(2)), epoch(at(4)), "booked", T + 3, None),
    (2, "Cai Wen", "cai@example.com", epoch(at(0)), epoch(at(1)), "booked", T + 4, None),
]


def make_old_file(path: Path, version: int = 1) -> None:
    """A file as the release with schema ``version`` left it, bookings made under version 1.

    Version 1 comes from the frozen copy (schema_v1.sql, never edited); later steps are the
    released migrations, which are never edited once released either."""
    with closing(sqlite3.connect(path)) as conn:
        register_fold(conn)  # as the app's connection has
        conn.executescript(SCHEMA_V1.read_text(encoding="utf-8"))
        conn.execute("INSERT INTO resources (id, name) VALUES (2, 'Room 2')")
        conn.executemany(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, status, created_utc, cancelled_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            V1_ROWS,
        )
        for step in MIGRATIONS[1:version]:
            conn.executescript(step)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {version}")
        conn.commit()


@dataclass(frozen=True)
class Backend:
    """One storage backend under test: how to open it, and how to reach it without the app."""

    name: str
    url: str
    path: Path

    def open(self, *, clock: Clock | None = None) -> Repository:
        """A new repository (its own connection) on the test's database."""
        return open_repository(self.url, clock=clock)

    def raw(self) -> sqlite3.Connection:
        """A plain DB-API connection that bypasses the repository, as a script or bug would."""
        return sqlite3.connect(self.path, isolation_level=None)

    def count(self, table: str) -> int:
        """Rows in ``table``, counted in the database itself."""
        with closing(self.raw()) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """The backend of this run of the contract, on a database new for the test."""
    if request.param == "sqlite":
        path = tmp_path / "contract.db"
        return Backend("sqlite", f"sqlite:///{path}", path)
    raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture
def repository(backend: Backend) -> Iterator[Repository]:
    """A repository on the backend under test, closed after the test."""
    repo = backend.open()
    yield repo
    repo.close()


@pytest.fixture
def open_again(backend: Backend) -> Callable[[], Repository]:
    """Opens another connection to the same database: a second desk."""
    return backend.open
