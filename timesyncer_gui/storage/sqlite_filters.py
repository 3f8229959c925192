"""The WHERE clause of the bookings list: search, status and dates, written for the indexes.

A search for three characters or more asks the trigram index first how many bookings match.
Fewer than ``SEARCH_PROBE``: the page is read by id from the index's matches and sorted, at
most ~100 ms at a million bookings. More (say, "example.com"): matches are dense, so walking
the sort's index and testing each row finds a page sooner than collecting every match.

Both plans compare the folded keys (no case, no accents: see domain/folding.py), and the count
of a search follows its page's plan. Where the page reads the index's matches,
``counted_by_index`` counts by going through them: testing rows one by one would test every
row in range whenever fewer match than the count's cap. ``LastCount`` keeps the last count
while the database is unchanged, as a re-sort asks for the same number again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from typing import Any, NamedTuple

from ..domain.folding import fold
from ..domain.models import BookingStatus, to_epoch
from .contract import BookingQuery
from .sqlite_rows import COLUMNS, ORDER

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


class CountKey(NamedTuple):
    """What a count of a query up to a cap depends on: not its order, only its filters, the
    cap, and how its page finds a search's matches."""

    term: str
    status: BookingStatus | None
    start_from: datetime | None
    start_before: datetime | None
    cap: int | None
    by_index: bool  # the page reads the index's matches rather than testing rows


class LastCount:
    """The last count asked for, kept while no connection changes the database.

    Re-sorting a list asks again how many bookings match, and a search's count at a million
    bookings takes ~70 ms. A commit by another connection changes ``PRAGMA data_version``;
    one by this connection, its ``total_changes``.

    A search's matches through an up-to-date index are those of the row-by-row test (both
    read the folded keys), so a count that reached its cap by the test reaches it through the
    index too: sorting a common name by name, after it was found sorted by date, does not
    count it again.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._kept: tuple[CountKey, tuple[int, int], int] | None = None
        self._asked = (0, 0)

    def get(self, key: CountKey) -> int | None:
        """The kept count for ``key``, or None; a ``put`` after it stores the database's
        state as it was here, before the count ran, so a commit landing while it runs makes
        the next ``get`` count again."""
        self._asked = self._version()
        if self._kept is None:
            return None
        kept_key, version, count = self._kept
        if version != self._asked:
            return None
        if kept_key == key:
            return count
        capped = key.cap is not None and count >= key.cap
        same_rows = key[:5] == kept_key[:5]  # filters and cap
        if capped and same_rows and key.by_index and not kept_key.by_index:
            return count
        return None

    def put(self, key: CountKey, count: int) -> None:
        """Keep ``count`` for ``key``, as of the state seen by the ``get`` just before."""
        self._kept = (key, self._asked, count)

    def _version(self) -> tuple[int, int]:
        (version,) = self._conn.execute("PRAGMA data_version").fetchone()
        return int(version), self._conn.total_changes


def count_key(query: BookingQuery, cap: int | None, matches: MatchCounts | None) -> CountKey:
    """The key of a count of ``query`` up to ``cap``."""
    term = query.term
    by_index = _reads_index(term, matches, query.sort) if term else False
    return CountKey(term, query.status, query.start_from, query.start_before, cap, by_index)


def page_sql(query: BookingQuery, where: str, matches: MatchCounts | None) -> str:
    """A page of ``query`` (``LIMIT ? OFFSET ?`` left to bind).

    Read from the index's matches, every match is sorted to find the page: the sort then
    holds only each match's key and id, and the page's rows are read once chosen. Whole rows
    in the sort made a descending sort of a common name half as slow again.
    """
    direction = "DESC" if query.descending else "ASC"
    order = f"{ORDER[query.sort]} {direction}, id {direction}"
    if _reads_index(query.term, matches, query.sort):
        chosen = f"SELECT id FROM bookings{where} ORDER BY {order} LIMIT ? OFFSET ?"
        return f"SELECT {COLUMNS} FROM bookings WHERE id IN ({chosen}) ORDER BY {order}"
    return f"SELECT {COLUMNS} FROM bookings{where} ORDER BY {order} LIMIT ? OFFSET ?"


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
    term = query.term
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
    term = query.term
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
    if matches is None or len(fold(term)) < 3:
        return False
    probe = TEXT_SORT_PROBE if sort in TEXT_SORTS else SEARCH_PROBE
    return matches.upto(_phrase(term), probe) < probe


def _phrase(term: str) -> str:
    """The term as one phrase of the index's folded text."""
    return '"' + fold(term).replace('"', '""') + '"'


def _search(term: str, matches: MatchCounts | None, sort: str) -> tuple[str, list[Any]]:
    if _reads_index(term, matches, sort):
        return f"id IN ({_MATCH})", [_phrase(term)]
    folded = fold(term)
    pattern = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return (
        "(name_key LIKE ? ESCAPE '\\' OR email_key LIKE ? ESCAPE '\\')",
        [pattern, pattern],
    )
