"""The WHERE clause of the bookings list: search, status and dates, written for the indexes.

A search for three characters or more asks the trigram index first how many bookings match.
A few thousand or fewer: the page is read by id from the index's matches. More than that
(say, "example.com"): matches are dense, so walking the sort's index and testing each row
finds a page sooner than collecting every match.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..domain.models import to_epoch
from .contract import BookingQuery

SEARCH_PROBE = 5000
_MATCH = "SELECT rowid FROM bookings_search WHERE bookings_search MATCH ?"


def filters(
    conn: sqlite3.Connection,
    query: BookingQuery,
    *,
    has_search_index: bool,
    status_column: str = "status",
) -> tuple[str, list[Any]]:
    """`` WHERE ...`` and its parameters for ``query`` (empty when nothing filters)."""
    clauses: list[str] = []
    params: list[Any] = []
    term = query.search.strip()
    if term:
        clause, values = _search(conn, term, has_search_index)
        clauses.append(clause)
        params.extend(values)
    if query.status is not None:
        clauses.append(f"{status_column} = ?")
        params.append(str(query.status))
    if query.start_from is not None:
        clauses.append("start_utc >= ?")
        params.append(to_epoch(query.start_from))
    if query.start_before is not None:
        clauses.append("start_utc < ?")
        params.append(to_epoch(query.start_before))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _search(conn: sqlite3.Connection, term: str, indexed: bool) -> tuple[str, list[Any]]:
    if indexed and len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        found = conn.execute(
            f"SELECT count(*) FROM ({_MATCH} LIMIT ?)", (phrase, SEARCH_PROBE)
        ).fetchone()[0]
        if found < SEARCH_PROBE:
            return f"id IN ({_MATCH})", [phrase]
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "(customer_name LIKE ? ESCAPE '\\' OR customer_email LIKE ? ESCAPE '\\')",
        [pattern, pattern],
    )
