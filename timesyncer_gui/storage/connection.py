"""Opening a SQLite file safely: recognise it, refuse a stranger's or a newer one, migrate.

Nothing is written to a file until it is known to be ours and of a version we understand, so a
refused file is left byte for byte as it was.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from ..domain.folding import fold
from .errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnwritable,
    StorageError,
)
from .migrations import APPLICATION_ID, LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

# The database is wherever TIMESYNCER_DB_URL says if it is set; under the data folder if not.
_WHERE_TO_WRITE = (
    "Choose a folder you can write to with --data-dir or TIMESYNCER_DATA_DIR, or point "
    "TIMESYNCER_DB_URL (if it is set) at a file you can write."
)

_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB, _PERM = (
    5,
    6,
    8,
    10,
    11,
    13,
    14,
    26,
    3,
)


def connect(path: Path, *, busy_timeout: float, durable: bool = True) -> sqlite3.Connection:
    """A connection to ``path`` with the project's pragmas and the schema brought up to date.

    ``durable`` commits are synced to the disk (``synchronous = FULL``): they survive a power
    cut. Otherwise (``NORMAL``, in WAL mode) they survive the app crashing, and a power cut
    may undo the last few."""
    _check_file(path)
    try:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=True
        )
    except sqlite3.Error as exc:
        raise translate(exc, path, busy_timeout) from exc
    register_fold(conn)
    try:
        _prepare(conn, path, busy_timeout, durable)
    except StorageError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path, busy_timeout) from exc
    return conn


def register_fold(conn: sqlite3.Connection) -> None:
    """SQL's ``fold(x)``, through which the folded search and sort keys are written (see
    migrations._V5)."""
    conn.create_function("fold", 1, _fold_column, deterministic=True)


def _fold_column(value: object) -> str | None:
    """``fold`` for SQL, given a column as stored: SQLite keeps whatever another program wrote,
    text that is not UTF-8 included (called with such text, Python would fail before reaching
    here), so the SQL passes bytes. An exception would fail every search and the upgrade."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return fold(str(value))


def _prepare(conn: sqlite3.Connection, path: Path, busy_timeout: float, durable: bool) -> None:
    """Identity check, pragmas and migrations, retried while another opener holds the file.

    Switching a new file to WAL, or another process recovering its WAL, can answer "locked"
    at once without waiting on the busy timeout; several desks starting together must all
    get in, so the steps are retried until the timeout has really passed.
    """
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            _check_identity(conn, path)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                log.warning("%s stays in journal mode %s (WAL unavailable here)", path, mode)
            conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys = ON")
            _migrate(conn, path)
            return
        except sqlite3.OperationalError as exc:
            busy = isinstance(translate(exc, path, busy_timeout), DatabaseBusy)
            if not busy or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def translate(exc: sqlite3.Error, path: Path, busy_timeout: float) -> StorageError:
    """The SQLite error as a StorageError whose message tells a person what to do."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    text = str(exc).lower()
    if code in (_BUSY, _LOCKED) or "locked" in text:
        return DatabaseBusy(
            f"The booking database is in use by another program and stayed locked for more than "
            f"{busy_timeout:g} seconds. Nothing was changed; try again in a moment."
        )
    if code in (_READONLY, _CANTOPEN, _PERM) or "readonly" in text or "unable to open" in text:
        return DatabaseUnwritable(
            f"TimeSyncer cannot write its database in {path.parent}. The folder or the file is "
            f"read-only. {_WHERE_TO_WRITE}"
        )
    if code == _FULL or "disk is full" in text:
        return DatabaseUnwritable(
            f"The disk holding {path} is full. Nothing was changed; free some space and try again."
        )
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return _corrupt(path)
    if code == _IOERR:
        return DatabaseUnwritable(f"The disk holding {path} reported an error: {exc}.")
    return StorageError(f"The booking database at {path} reported an error: {exc}.")


def _corrupt(path: Path) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"The file {path} is not a TimeSyncer database, or it is damaged. It was left untouched: "
        "restore it from a backup, or move it aside to start a new one."
    )


def _check_file(path: Path) -> None:
    """Make the folder, and refuse a folder where the file should be.

    The file itself is read only through SQLite (a stranger's file fails its first read with
    "not a database" and is left as it was). Opening it any other way is unsafe: on POSIX
    systems closing any handle to a file drops every lock this process holds on it, SQLite's
    included, so another desk closing next would think itself the last user and delete the
    write-ahead log from under this one.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        # Not only PermissionError: a missing folder on a read-only disk fails with EROFS.
        raise DatabaseUnwritable(
            f"TimeSyncer may not use {path} ({exc.strerror}). {_WHERE_TO_WRITE}"
        ) from exc
    if path.is_dir():
        raise DatabaseUnwritable(f"{path} is a folder, not a database file.")


_IDENTITY = (
    "SELECT (SELECT user_version FROM pragma_user_version),"
    " (SELECT application_id FROM pragma_application_id),"
    " (SELECT count(*) FROM sqlite_schema WHERE type = 'table')"
)


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    """Read-only checks: is this file ours, and of a version this build understands?

    One statement reads all three, so all come from one state of the file: read one by one, a
    desk could see a new file's empty header, then the tables another desk had just made.
    """
    version, app_id, tables = conn.execute(_IDENTITY).fetchone()
    if version == 0 and app_id == 0:
        if tables:
            raise _corrupt(path)
        return
    if app_id != APPLICATION_ID:
        raise _corrupt(path)
    if version > LATEST_VERSION:
        raise _too_new(path, version)


def _too_new(path: Path, version: int) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"The database {path} was written by a newer version of TimeSyncer (schema {version}; "
        f"this version knows up to {LATEST_VERSION}). It was left untouched: install the newer "
        "version to use it."
    )


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the missing schema steps in one transaction; other openers wait, then see them."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found == LATEST_VERSION:
        return
    if found > 0:
        _back_up(conn, path, found)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > LATEST_VERSION:
            raise _too_new(path, version)
        for step in range(version, LATEST_VERSION):
            script = MIGRATIONS[step]
            if "-- requires: fts5" in script and not has_fts5(conn):
                log.warning("SQLite here has no FTS5; search will scan instead of using an index")
                continue
            log.info("upgrading %s to schema %d", path, step + 1)
            for statement in _statements(script):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback()
        raise


def backup_path(path: Path, version: int) -> Path:
    """Where the copy taken before upgrading from ``version`` goes, beside the database."""
    return path.with_name(f"{path.name}.schema-{version}.bak")


def _back_up(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """A consistent copy of the file before its schema changes (SQLite's online backup)."""
    target = backup_path(path, version)
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    log.info("copied %s to %s before upgrading it from schema %d", path, target, version)


def has_fts5(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite library can build the full-text search index."""
    options = {row[0] for row in conn.execute("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute("SELECT 1 FROM sqlite_schema WHERE name = ?", (name,)).fetchone()
    return row is not None


def _statements(script: str) -> list[str]:
    """Split a migration into statements; executescript would commit behind our back."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete statement in migration: {buffer.strip()[:60]}")
    return statements
