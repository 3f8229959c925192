"""Every query the repository runs reads an index, so it stays quick at a million bookings.

The SQL is captured as the repository really sends it, then explained by SQLite itself.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from timesyncer_gui import BookingQuery, BookingRequest, BookingStatus
from timesyncer_gui.storage import SORT_COLUMNS, SQLiteRepository

START = datetime(2031, 1, 6, 9, 0, tzinfo=UTC)


def captured_statements(repo: SQLiteRepository) -> list[str]:
    """Run every kind of read and write once and return the SQL that reached SQLite."""
    seen: list[str] = []
    conn: sqlite3.Connection = repo._conn  # the repository's own connection
    conn.set_trace_callback(seen.append)
    try:
        slot = timedelta(minutes=30)
        booking = repo.book(BookingRequest("Ana", "ana@example.com", START, START + slot))
        repo.get(booking.id)
        for resource in (None, 1):
            repo.bookings_between(START, START + timedelta(days=1), resource)
            repo.counts_between(
                [START, START + timedelta(days=1), START + timedelta(days=2)], resource
            )
        repo.bookings_between(START, START + timedelta(days=1), include_cancelled=True)
        for column in SORT_COLUMNS:
            for descending in (False, True):
                repo.list_bookings(BookingQuery(sort=column, descending=descending))
        repo.list_bookings(BookingQuery(status=BookingStatus.BOOKED, start_from=START))
        # The Admin tab's first view, upcoming from today, then re-sorted by each column.
        for column in SORT_COLUMNS:
            for descending in (False, True):
                upcoming = BookingQuery(sort=column, descending=descending, start_from=START)
                repo.list_bookings(upcoming)
        repo.count_bookings(BookingQuery(start_from=START))
        repo.count_bookings(BookingQuery(search="ana@", start_from=START), limit=10_000)
        repo.cancel(booking.id)
    finally:
        conn.set_trace_callback(None)
    return [s for s in dict.fromkeys(seen) if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def test_no_query_scans_or_sorts_the_whole_bookings_table(repo: SQLiteRepository) -> None:
    statements = captured_statements(repo)
    assert len(statements) > 20
    conn: sqlite3.Connection = repo._conn
    for sql in statements:
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        for step in plan:
            if step == "SEARCH bookings":  # max(id): one walk down the table's b-tree
                assert "max(id)" in sql, (sql, step)
            elif step.startswith("SEARCH bookings"):
                assert "INDEX" in step or "PRIMARY KEY" in step, (sql, step)
            if step.startswith("SCAN bookings"):
                # Walking an index in order is fine when a LIMIT stops it after one page.
                assert " LIMIT " in sql, (sql, step)
            if step.startswith("USE TEMP B-TREE FOR") and "ORDER BY w.i" not in sql:
                raise AssertionError(f"sorts rows in memory: {sql} -> {plan}")


def test_the_overlap_check_reads_one_index_entry_backwards(repo: SQLiteRepository) -> None:
    statements = captured_statements(repo)
    conflict = next(s for s in statements if "ORDER BY start_utc DESC LIMIT 1" in s)
    plan = [row[3] for row in repo._conn.execute(f"EXPLAIN QUERY PLAN {conflict}")]
    assert plan == [
        "SEARCH bookings USING INDEX bookings_active_slot (resource_id=? AND start_utc<?)"
    ]


def test_the_admin_tabs_upcoming_view_reads_the_start_index(repo: SQLiteRepository) -> None:
    """Upcoming from today, soonest first: a range of the start index, read in order and
    stopped after a page; counted from the same index without touching a row."""
    statements = captured_statements(repo)
    conn: sqlite3.Connection = repo._conn
    first_page = next(
        s for s in statements if "WHERE start_utc >= " in s and "ORDER BY start_utc ASC" in s
    )
    assert [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {first_page}")] == [
        "SEARCH bookings USING INDEX bookings_start (start_utc>?)"
    ]
    count = next(s for s in statements if s.startswith("SELECT count(*) FROM bookings WHERE start"))
    assert [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {count}")] == [
        "SEARCH bookings USING COVERING INDEX bookings_start (start_utc>?)"
    ]


def test_a_searched_count_goes_through_the_index_matches(repo: SQLiteRepository) -> None:
    """The Admin tab's count of a search: the trigram index's matches drive, each booking is
    read by its id, so a term with fewer matches than the cap never tests every row."""
    statements = captured_statements(repo)
    count = next(s for s in statements if "CROSS JOIN bookings" in s)
    plan = [row[3] for row in repo._conn.execute(f"EXPLAIN QUERY PLAN {count}")]
    assert plan[1].startswith("SCAN bookings_search VIRTUAL TABLE"), plan
    assert plan[2] == "SEARCH bookings USING INTEGER PRIMARY KEY (rowid=?)", plan


def test_a_search_asks_the_index_how_common_it_is_once(repo: SQLiteRepository) -> None:
    """The count and the page each choose a plan by how many bookings match; the index is
    asked once, and again only after new bookings reach it."""
    slot = timedelta(minutes=30)
    repo.book(BookingRequest("Ana Lima", "ana@example.com", START, START + slot))
    conn: sqlite3.Connection = repo._conn
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        query = BookingQuery(search="ana lima", sort="customer")
        assert repo.count_bookings(query, limit=10_000) == 1
        assert [b.customer_name for b in repo.list_bookings(query)] == ["Ana Lima"]
        repo.book(BookingRequest("Ana Lima", "ana@example.org", START + slot, START + 2 * slot))
        assert repo.count_bookings(query, limit=10_000) == 2
        assert len(repo.list_bookings(query)) == 2
    finally:
        conn.set_trace_callback(None)
    probes = [s for s in statements if s.startswith("SELECT count(*) FROM (SELECT rowid")]
    assert len(probes) == 2, probes
