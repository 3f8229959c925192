"""The Admin list over SQLite: a page of bookings, and how many match, for a BookingQuery.

The repository makes one on the list's first use, so none of this (nor the filters it writes,
in ``sqlite_filters``) is loaded before the window's first paint. A search, or a sort by name,
first folds the names of bookings made or renamed since the last one (see migrations._V5).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ..domain.models import Booking
from .connection import translate
from .contract import BookingQuery
from .errors import DatabaseBusy
from .sqlite_filters import (
    LastCount,
    MatchCounts,
    count_key,
    counted_by_index,
    filters,
    page_sql,
)
from .sqlite_rows import booking_from_row

log = logging.getLogger(__name__)

Rows = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]
Row = Callable[[str, Sequence[Any]], "tuple[Any, ...] | None"]


class BookingList:
    """Pages and counts on the repository's connection, its transactions and its errors."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        busy_timeout: float,
        write: Callable[[], AbstractContextManager[sqlite3.Cursor]],
        rows: Rows,
        row: Row,
    ) -> None:
        self._conn, self._path, self._busy_timeout = conn, path, busy_timeout
        self._write, self._rows, self._row = write, rows, row
        self._matches = MatchCounts(conn) if _indexes_the_keys(conn) else None
        self._last_count = LastCount(conn)

    def page(self, query: BookingQuery) -> list[Booking]:
        # The sort's index drives a page; the status test must not tempt the planner into
        # reading every booking of that status and sorting them.
        where, params = self._where(
            query, status_column="status" if query.sort == "status" else "+status"
        )
        try:
            sql = page_sql(query, where, self._matches)  # its plan, asked of the index by _where
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        return [booking_from_row(r) for r in self._rows(sql, [*params, query.limit, query.offset])]

    def count(self, query: BookingQuery, limit: int | None = None) -> int:
        where, params = self._where(query)  # the page's plan: both find the same bookings
        try:
            key = count_key(query, limit, self._matches)
            kept = self._last_count.get(key)
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc
        if kept is None:
            kept = self._count(query, where, params, limit)
            self._last_count.put(key, kept)
        return kept

    def _count(self, query: BookingQuery, where: str, params: list[Any], limit: int | None) -> int:
        if limit is not None and query.term and self._matches is not None:
            try:
                counted = counted_by_index(self._conn, query, limit, self._matches)
            except sqlite3.Error as exc:
                raise self._translate(exc) from exc
            if counted is not None:
                return counted
        if limit is None:
            found = self._row(f"SELECT count(*) FROM bookings{where}", params)
        else:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM bookings{where} LIMIT ?)"
            found = self._row(sql, [*params, limit])
        return int(found[0]) if found else 0

    def _where(self, query: BookingQuery, status_column: str = "status") -> tuple[str, list[Any]]:
        if query.term or query.sort == "customer":
            self._fold_new_names()
        try:
            return filters(query, self._matches, status_column=status_column)
        except sqlite3.Error as exc:
            raise self._translate(exc) from exc

    def _fold_new_names(self) -> None:
        """Write the folded keys of bookings that have none: made since the last search, or
        renamed by another program (usually a handful). Their triggers put them in the search
        index.

        Under the write lock, so two desks never fold the same rows. If another program holds
        the lock, the list goes ahead with the keys as they stand: a booking without keys is
        found by neither plan, so a page and its count still agree.
        """
        if self._row("SELECT 1 FROM bookings WHERE name_key IS NULL LIMIT 1", ()) is None:
            return
        try:
            with self._write() as cur:
                cur.execute(
                    # As stored, not as text: another program may have written bytes that
                    # are not UTF-8 (see connection._fold_column).
                    "UPDATE bookings SET name_key = fold(CAST(customer_name AS BLOB)),"
                    " email_key = fold(CAST(customer_email AS BLOB)) WHERE name_key IS NULL"
                )
                if self._matches is not None:
                    self._matches.forget()
        except DatabaseBusy:
            log.info("names not folded for search: the database is busy")

    def _translate(self, exc: sqlite3.Error) -> Exception:
        return translate(exc, self._path, self._busy_timeout)


def _indexes_the_keys(conn: sqlite3.Connection) -> bool:
    """Whether the search index is over the folded keys. A file upgraded by a build without
    FTS5 kept schema 3's index over the names as typed, which would miss "jose" for "José":
    without this one, search reads the keys row by row."""
    try:
        found = conn.execute(
            "SELECT 1 FROM pragma_table_info('bookings_search') WHERE name = 'name_key'"
        ).fetchone()
    except sqlite3.Error:  # an index this SQLite cannot read
        return False
    return found is not None
