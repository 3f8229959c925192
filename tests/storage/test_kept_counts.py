"""A count is kept while nothing changes: re-sorting a search does not count it again.

The SQL is captured as the repository sends it, so these tests see whether a count was run.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from timesyncer_gui import BookingQuery, BookingRequest, BookingStatus, open_repository
from timesyncer_gui.storage import SQLiteRepository, sqlite_filters

from .conftest import at, request

COUNTS = ("SELECT count(*) FROM (SELECT 1", "SELECT count(*) FROM bookings")


@contextmanager
def counts_run(repo: SQLiteRepository) -> Iterator[list[str]]:
    """The counting statements the repository runs inside the block."""
    seen: list[str] = []
    conn: sqlite3.Connection = repo._conn
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)
        seen[:] = [s for s in seen if s.startswith(COUNTS)]


def book_anas(repo: SQLiteRepository, how_many: int, first_slot: int = 0) -> None:
    for slot in range(first_slot, first_slot + how_many):
        repo.book(request(f"Ana Lima {slot}", slot, email=f"ana.{slot}@example.com"))


def test_re_sorting_a_search_counts_it_once(repo: SQLiteRepository) -> None:
    book_anas(repo, 5)
    repo.book(request("Ben Okafor", 9))
    with counts_run(repo) as seen:
        for sort in ("start", "customer", "email"):
            for descending in (False, True):
                query = BookingQuery(search="ana", sort=sort, descending=descending)
                assert repo.count_bookings(query, limit=10_000) == 5
                assert len(repo.list_bookings(query)) == 5
    assert len(seen) == 1, seen


def test_a_kept_count_is_dropped_when_any_desk_changes_the_bookings(
    repo: SQLiteRepository, db_path: Path
) -> None:
    book_anas(repo, 3)
    query = BookingQuery(search="ana lima")
    assert repo.count_bookings(query, limit=10_000) == 3
    with closing(open_repository(f"sqlite:///{db_path}")) as other:  # type: ignore[arg-type]
        book_anas(other, 1, first_slot=3)  # another desk
    assert repo.count_bookings(query, limit=10_000) == 4
    book_anas(repo, 1, first_slot=4)  # this desk
    assert repo.count_bookings(query, limit=10_000) == 5
    repo.cancel(repo.list_bookings(query)[0].id)
    active = BookingQuery(search="ana lima", status=BookingStatus.BOOKED)
    assert repo.count_bookings(active, limit=9) == 4


@pytest.mark.parametrize("search", ["", "ana lima"])
def test_another_desks_cancel_or_move_changes_the_same_count(
    repo: SQLiteRepository, db_path: Path, search: str
) -> None:
    """The same filters asked again after another desk changed what they match: a cancel
    leaves the booked ones, a move takes one out of the dates asked for."""
    book_anas(repo, 4)
    first, second = (b.id for b in repo.list_bookings(BookingQuery())[:2])
    booked = BookingQuery(search=search, status=BookingStatus.BOOKED)
    early = BookingQuery(search=search, start_before=at(4))
    assert repo.count_bookings(booked, limit=10_000) == 4
    assert repo.count_bookings(early, limit=10_000) == 4
    with closing(open_repository(f"sqlite:///{db_path}")) as other:  # type: ignore[arg-type]
        other.cancel(first)
        assert repo.count_bookings(booked, limit=10_000) == 3
        other.move(second, at(20), at(21))
        assert repo.count_bookings(early, limit=10_000) == 3


def test_a_booking_not_yet_folded_is_found_by_neither_plan(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another desk's new booking has no folded keys while a script holds the write lock:
    the row-by-row test and the index both read the keys, so neither finds it and each count
    is what its page shows. Once the lock is free, both find it."""
    monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)  # common, sorted by date
    with closing(SQLiteRepository(db_path, busy_timeout=0.05)) as repo:
        book_anas(repo, 4)
        by_date = BookingQuery(search="ana", sort="start")
        by_name = BookingQuery(search="ana", sort="customer")
        assert repo.count_bookings(by_name, limit=5) == 4  # folded so far
        with closing(open_repository(f"sqlite:///{db_path}")) as other:  # type: ignore[arg-type]
            book_anas(other, 1, first_slot=4)
        with closing(sqlite3.connect(db_path, isolation_level=None)) as script:
            script.execute("BEGIN IMMEDIATE")
            for query in (by_date, by_name):
                page = repo.list_bookings(query)
                assert repo.count_bookings(query, limit=5) == len(page) == 4
            script.execute("ROLLBACK")
        for query in (by_date, by_name):
            assert repo.count_bookings(query, limit=5) == len(repo.list_bookings(query)) == 5


def test_a_count_differs_by_its_filters_and_cap(repo: SQLiteRepository) -> None:
    book_anas(repo, 4)
    repo.book(request("Ana Souza", 8, email="souza@example.org"))
    with counts_run(repo) as seen:
        assert repo.count_bookings(BookingQuery(search="ana"), limit=10_000) == 5
        assert repo.count_bookings(BookingQuery(search="ana"), limit=3) == 3
        assert repo.count_bookings(BookingQuery(search="ana lima"), limit=3) == 3
        assert repo.count_bookings(BookingQuery(search="souza"), limit=3) == 1
        assert repo.count_bookings(BookingQuery()) == 5
        assert repo.count_bookings(BookingQuery(start_from=request("x", 3).start)) == 2
    assert len(seen) == 6, seen


def test_a_count_capped_by_testing_rows_holds_when_the_index_is_read(
    repo: SQLiteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sorted by date a common term is tested row by row; sorted by name its matches are read
    from the index, which finds the same bookings: a count that reached its cap reaches it
    either way, and is not counted again."""
    book_anas(repo, 6)
    monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)  # common, sorted by date
    with counts_run(repo) as seen:
        by_date = BookingQuery(search="ana", sort="start")
        by_name = BookingQuery(search="ana", sort="customer")
        assert repo.count_bookings(by_date, limit=4) == 4
        assert repo.count_bookings(by_name, limit=4) == 4  # kept: it was capped
        assert repo.count_bookings(by_name, limit=10) == 6
        assert repo.count_bookings(by_date, limit=10) == 6  # not capped: counted again
    assert len(seen) == 3, seen
    assert "LIKE" in seen[0] and "bookings_search" in seen[1] and "LIKE" in seen[2]


def test_pages_of_a_search_read_from_the_index_follow_the_sort(
    repo: SQLiteRepository,
) -> None:
    """Each page of a search read through the index, in either direction, continues the last."""
    for slot, name in enumerate(["ana b", "Ana a", "ANA c", "ana a", "Ana d", "x ana"]):
        repo.book(
            BookingRequest(
                name,
                f"{5 - slot}.ana@example.com",
                request(name, slot).start,
                request(name, slot).end,
            )
        )
    for sort in ("customer", "email"):
        for descending in (False, True):
            whole = repo.list_bookings(BookingQuery(search="ana", sort=sort, descending=descending))
            pages = [
                b
                for offset in range(0, 6, 4)
                for b in repo.list_bookings(
                    BookingQuery(
                        search="ana", sort=sort, descending=descending, offset=offset, limit=4
                    )
                )
            ]
            assert [b.id for b in pages] == [b.id for b in whole]
            key = [
                b.customer_name.lower() if sort == "customer" else b.customer_email for b in whole
            ]
            assert key == sorted(key, reverse=descending), (sort, descending)


@pytest.mark.parametrize("search", ["", "ana lima"])
def test_a_commit_landing_just_after_a_count_is_counted_next_time(
    repo: SQLiteRepository, db_path: Path, monkeypatch: pytest.MonkeyPatch, search: str
) -> None:
    """Another desk cancels once the count has read but before it is kept: a change this desk
    does not index itself, so only ``PRAGMA data_version`` shows it."""
    book_anas(repo, 3)
    first = repo.list_bookings(BookingQuery())[0].id
    query = BookingQuery(search=search, status=BookingStatus.BOOKED)
    with closing(open_repository(f"sqlite:///{db_path}")) as other:  # type: ignore[arg-type]
        listing = repo._list  # the Admin list's counting, where the count is taken
        count = listing._count

        def then_another_desk_cancels(*args: Any) -> int:
            counted = count(*args)
            other.cancel(first)
            return counted

        monkeypatch.setattr(listing, "_count", then_another_desk_cancels)
        assert repo.count_bookings(query, limit=10_000) == 3
        monkeypatch.undo()
    assert repo.count_bookings(query, limit=10_000) == len(repo.list_bookings(query)) == 2


def test_a_nul_in_a_search_is_dropped_so_both_plans_agree(
    repo: SQLiteRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    book_anas(repo, 5)
    monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)
    for sort in ("start", "customer"):
        query = BookingQuery(search="ana\0 lima", sort=sort)
        assert repo.count_bookings(query, limit=4) == 4
        assert len(repo.list_bookings(query)) == 5
