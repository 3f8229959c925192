"""The WHERE clause of the bookings list: search, status and dates, written for the indexes.

A search for three characters or more asks the trigram index first how many bookings match.
Fewer than ``SEARCH_PROBE``: the page is read by id from the index's matches and sorted, at
most ~100 ms at a million bookings. More (say, "example.com"): matches are dense, so walking
the sort's index and testing each row finds a page sooner than collecting every match.

The count of a search follows its page's plan, so both find the same bookings (the index
folds case in every alphabet, LIKE only in A-Z). Where the page reads the index's matches,
``counted_by_index`` counts by going through them: testing rows one by one would test every
row in range whenever fewer match than the count's cap.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Any

from ..domain.models import to_epoch
from .contract import BookingQuery

SEARCH_PROBE = 20_000
# Sorted by name or email, a common name's bookings sit together in the sort's index, and
# walking it from the top tests half the table before the first of them: read the matches
# by id up to this many (~200 ms), and walk only for terms in most bookings.
TEXT_SORT_PROBE = 150_000
TEXT_SORTS = ("customer", "email")
_MATCH = "SELECT rowid FROM bookings_search WHERE bookings_search MATCH ?"
_REMEMBERED = 64  # phrases, typically the steps of one search being typed


class MatchCounts:
    """How many bookings the trigram index matches for a phrase, up to what a plan asks.

    A search's count and its page each choose their plan by it, so it is counted once per
    phrase rather than once per choice, and both choose alike. Only the plan depends on it: a
    figure a little out of date costs time. ``forget`` after the index changes.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._known: dict[str, tuple[int, int]] = {}  # phrase: (matches found, counted up to)

    def upto(self, phrase: str, cap: int) -> int:
        """min(matches, cap)."""
        found, counted = self._known.get(phrase, (0, 0))
        if counted < cap and found >= counted:  # not known exactly, nor far enough
            row = self._conn.execute(f"SELECT count(*) FROM ({_MATCH} LIMIT ?)", (phrase, cap))
            found, counted = int(row.fetchone()[0]), cap
            if len(self._known) >= _REMEMBERED:
                self._known.clear()
            self._known[phrase] = (found, counted)
        return min(found, cap)

    def forget(self) -> None:
        self._known.clear()


def filters(
    query: BookingQuery,
    matches: MatchCounts | None,
    *,
    status_column: str = "status",
) -> tuple[str, list[Any]]:
    """`` WHERE ...`` and its parameters for ``query`` (empty when nothing filters);
    ``matches`` is None for a database without the search index."""
    clauses: list[str] = []
    params: list[Any] = []
    term = query.search.strip()
    if term:
        clause, values = _search(term, matches, query.sort)
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


def counted_by_index(
    conn: sqlite3.Connection, query: BookingQuery, limit: int, matches: MatchCounts
) -> int | None:
    """How many bookings match ``query`` (at most ``limit``), counted by going through the
    trigram index's matches; None when the page's plan tests rows instead."""
    term = query.search.strip()
    if not _reads_index(term, matches, query.sort):
        return None
    rest, params = filters(replace(query, search=""), matches)
    rest = rest.replace(" WHERE ", " AND ", 1)
    # CROSS JOIN keeps the index's matches as the outer loop, each booking found by its id.
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM bookings_search CROSS JOIN bookings"
        f" ON bookings.id = bookings_search.rowid WHERE bookings_search MATCH ?{rest} LIMIT ?)"
    )
    return int(conn.execute(sql, [_phrase(term), *params, limit]).fetchone()[0])


def _reads_index(term: str, matches: MatchCounts | None, sort: str) -> bool:
    """Whether a page of ``term`` sorted by ``sort`` is read from the index's matches."""
    if matches is None or len(term) < 3:
        return False
    probe = TEXT_SORT_PROBE if sort in TEXT_SORTS else SEARCH_PROBE
    return matches.upto(_phrase(term), probe) < probe


def _phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _search(term: str, matches: MatchCounts | None, sort: str) -> tuple[str, list[Any]]:
    if _reads_index(term, matches, sort):
        return f"id IN ({_MATCH})", [_phrase(term)]
    pattern = "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "(customer_name LIKE ? ESCAPE '\\' OR customer_email LIKE ? ESCAPE '\\')",
        [pattern, pattern],
    )
