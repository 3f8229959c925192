"""Where bookings are kept. ``open_repository(url)`` is the one way in.

The contract's names (``Repository``, ``BookingQuery``, ``SORT_COLUMNS``) are imported when
first asked for (PEP 562): the window's first paint lists no bookings and needs none of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from ..domain.clock import Clock
from .errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseTooNew,
    DatabaseUnwritable,
    StorageError,
)
from .sqlite import SQLiteRepository

if TYPE_CHECKING:
    from .contract import SORT_COLUMNS, BookingQuery, Repository

__all__ = [
    "SORT_COLUMNS",
    "BookingQuery",
    "DatabaseBusy",
    "DatabaseCorrupt",
    "DatabaseTooNew",
    "DatabaseUnwritable",
    "Repository",
    "SQLiteRepository",
    "StorageError",
    "open_repository",
    "sqlite_path",
]


if not TYPE_CHECKING:  # a type checker sees the import above

    def __getattr__(name: str) -> object:
        if name not in ("SORT_COLUMNS", "BookingQuery", "Repository"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from . import contract

        value = getattr(contract, name)
        globals()[name] = value  # asked once
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def sqlite_path(url: str) -> Path:
    """The file a ``sqlite:///path`` URL names; ValueError for anything else.

    ``sqlite:///relative.db`` is relative to the working folder and ``sqlite:////abs/x.db``
    absolute, as in SQLAlchemy; a plain path is accepted too.
    """
    if "://" not in url:
        return Path(url).expanduser()
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        raise ValueError(
            f"'{url}' is not a database URL this version can open; use sqlite:///path/to/file.db"
        )
    path = unquote(parsed.path)
    if parsed.netloc:
        raise ValueError(f"'{url}' has a host; a SQLite URL looks like sqlite:///path/to/file.db")
    if path.startswith("/"):
        path = path[1:]
    if not path:
        raise ValueError(f"'{url}' names no file; use sqlite:///path/to/file.db")
    if len(path) > 1 and path[1] == ":":
        return Path(path)
    return Path(path).expanduser()


def open_repository(
    url: str, *, busy_timeout: float = 5.0, clock: Clock | None = None, durable: bool = True
) -> Repository:
    """The repository the app itself uses, for a ``sqlite:///path`` URL.

    ``clock`` dates bookings and emails; tests pass a fixed one, the app the real one.
    ``durable=False`` is for a connection that only keeps the outbox's books (the mail
    sender's): its commits survive the app crashing but not a power cut, which can only make
    an email go out again, never lose one, and they cost about a third as much."""
    return SQLiteRepository(
        sqlite_path(url), busy_timeout=busy_timeout, clock=clock, durable=durable
    )
