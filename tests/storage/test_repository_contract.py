"""The repository contract: what any backend must do, checked on a real database file."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from timesyncer_gui import (
    BookingNotFound,
    BookingQuery,
    BookingStatus,
    SlotUnavailable,
    ValidationError,
)
from timesyncer_gui.storage import SORT_COLUMNS, Repository

from .conftest import BASE, SLOT, at, request


def active_rows(repo: Repository) -> list[tuple[str, datetime]]:
    return [
        (b.customer_name, b.start)
        for b in repo.list_bookings(
            BookingQuery(status=BookingStatus.BOOKED, sort="start", limit=1000)
        )
    ]


def test_book_and_get_round_trip(repository: Repository) -> None:
    booking = repository.book(request("  Ana Souza ", 0, email="Ana.Souza@EXAMPLE.com"))
    assert booking.id > 0
    assert booking.customer_name == "Ana Souza"
    assert booking.customer_email == "Ana.Souza@example.com"
    assert booking.start == BASE and booking.end == BASE + SLOT
    assert booking.start.tzinfo is UTC
    assert booking.status is BookingStatus.BOOKED
    assert abs((booking.created - datetime.now(UTC)).total_seconds()) < 60
    assert repository.get(booking.id) == booking


@pytest.mark.parametrize(("minutes", "length"), [(0, 30), (15, 30), (-15, 30), (-30, 90), (5, 10)])
def test_any_overlap_is_refused_naming_the_booking_in_the_way(
    repository: Repository, minutes: int, length: int
) -> None:
    first = repository.book(request("Ana Souza", 4))
    with pytest.raises(SlotUnavailable) as caught:
        repository.book(request("Ben Li", 4, minutes=minutes, length=length))
    assert (caught.value.start, caught.value.end, caught.value.booking_id) == (
        first.start,
        first.end,
        first.id,
    )
    assert "already taken" in caught.value.message
    assert active_rows(repository) == [("Ana Souza", at(4))]


def test_half_open_intervals_let_bookings_touch(repository: Repository) -> None:
    repository.book(request("Ana Souza", 1))
    repository.book(request("Ben Li", 0))
    repository.book(request("Cai Wen", 2))
    assert [name for name, _ in active_rows(repository)] == ["Ben Li", "Ana Souza", "Cai Wen"]


def test_different_resources_do_not_conflict(repository: Repository) -> None:
    room = repository.add_resource("Room 2")
    assert [r.name for r in repository.resources()] == ["Main desk", "Room 2"]
    repository.book(request("Ana Souza", 0))
    repository.book(request("Ben Li", 0, resource_id=room.id))
    with pytest.raises(SlotUnavailable):
        repository.book(request("Cai Wen", 0, resource_id=room.id))
    with pytest.raises(ValidationError, match="no resource #99"):
        repository.book(request("Dee", 3, resource_id=99))
    with pytest.raises(ValidationError, match="already a resource"):
        repository.add_resource("Room 2")


def test_cancel_frees_the_slot_and_is_harmless_twice(repository: Repository) -> None:
    first = repository.book(request("Ana Souza", 0))
    cancelled = repository.cancel(first.id)
    assert cancelled.status is BookingStatus.CANCELLED and cancelled.cancelled is not None
    assert repository.cancel(first.id) == cancelled
    second = repository.book(request("Ben Li", 0))
    assert second.start == first.start
    with pytest.raises(BookingNotFound, match="#9999"):
        repository.cancel(9999)
    with pytest.raises(BookingNotFound):
        repository.get(9999)


def test_restore_gives_the_slot_back_unless_it_was_taken(repository: Repository) -> None:
    first = repository.book(request("Ana Souza", 0))
    repository.cancel(first.id)
    assert repository.restore(first.id).status is BookingStatus.BOOKED
    repository.cancel(first.id)
    repository.book(request("Ben Li", 0, minutes=15))
    with pytest.raises(SlotUnavailable):
        repository.restore(first.id)
    assert repository.get(first.id).status is BookingStatus.CANCELLED


def test_move_keeps_the_same_guard(repository: Repository) -> None:
    ana = repository.book(request("Ana Souza", 0))
    ben = repository.book(request("Ben Li", 2))
    with pytest.raises(SlotUnavailable) as caught:
        repository.move(ana.id, at(2, 15), at(3, 15))
    assert caught.value.booking_id == ben.id
    moved = repository.move(ana.id, at(0, 15), at(1, 15))  # overlapping only itself
    assert (moved.start, moved.end) == (at(0, 15), at(1, 15))
    repository.cancel(ben.id)
    with pytest.raises(ValidationError, match="cancelled booking cannot be moved"):
        repository.move(ben.id, at(5), at(6))


def test_bookings_between_uses_overlap_and_skips_cancelled(repository: Repository) -> None:
    a = repository.book(request("Ana Souza", 0))
    b = repository.book(request("Ben Li", 1))
    c = repository.book(request("Cai Wen", 4))
    repository.cancel(b.id)
    window = repository.bookings_between(at(0, 15), at(4, 1))
    assert [x.id for x in window] == [a.id, c.id]
    everything = repository.bookings_between(at(0), at(5), include_cancelled=True)
    assert [x.id for x in everything] == [a.id, b.id, c.id]
    assert repository.bookings_between(at(2), at(4)) == []


def test_counts_between_counts_each_window_in_one_call(repository: Repository) -> None:
    for slot in (0, 1, 2, 48, 49, 96):  # 48 half hours = one day
        repository.book(request(f"Customer {slot}", slot))
    cancelled = repository.book(request("Gone", 3))
    repository.cancel(cancelled.id)
    edges = [BASE + timedelta(days=d) for d in range(4)]
    assert repository.counts_between(edges) == [3, 2, 1]
    assert repository.counts_between(edges[:1]) == []


@pytest.fixture
def listed(repository: Repository) -> Repository:
    people = [
        ("Zoë Adams", "zoe@alpha.example"),
        ("ana Brown", "ana@beta.example"),
        ("Ben Carter", "ben@gamma.example"),
        ("Cai 100%_off", "cai@delta.example"),
        ("Dee Evans", "dee@beta.example"),
    ]
    for index, (name, email) in enumerate(people):
        booking = repository.book(request(name, index * 3, email=email))
        if name.startswith("Cai"):
            repository.cancel(booking.id)
    return repository


def names(repo: Repository, **query: object) -> list[str]:
    return [b.customer_name for b in repo.list_bookings(BookingQuery(**query))]  # type: ignore[arg-type]


@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_every_sort_column_orders_both_ways(listed: Repository, sort: str) -> None:
    up = names(listed, sort=sort)
    down = names(listed, sort=sort, descending=True)
    assert sorted(up) == sorted(down) and len(up) == 5
    if sort not in ("resource", "created", "status"):
        assert down == up[::-1]


def test_sorting_by_name_ignores_case_and_pages_follow_the_order(listed: Repository) -> None:
    assert names(listed, sort="customer") == [
        "ana Brown",
        "Ben Carter",
        "Cai 100%_off",
        "Dee Evans",
        "Zoë Adams",
    ]
    assert names(listed, sort="customer", offset=1, limit=2) == ["Ben Carter", "Cai 100%_off"]
    assert names(listed, sort="status")[-1] == "Cai 100%_off"  # cancelled after booked


def test_search_filters_and_count_agree(listed: Repository) -> None:
    assert sorted(names(listed, search="BETA")) == ["Dee Evans", "ana Brown"]
    assert names(listed, search="100%_") == ["Cai 100%_off"]
    assert names(listed, search="%") == ["Cai 100%_off"]  # % and _ are literal
    assert names(listed, search="_") == ["Cai 100%_off"]
    assert names(listed, status=BookingStatus.CANCELLED) == ["Cai 100%_off"]
    assert names(listed, start_from=at(6), start_before=at(10)) == ["Ben Carter", "Cai 100%_off"]
    for query in (
        BookingQuery(),
        BookingQuery(search="beta"),
        BookingQuery(status=BookingStatus.BOOKED),
        BookingQuery(start_from=at(6)),
    ):
        assert listed.count_bookings(query) == len(
            listed.list_bookings(
                BookingQuery(**{**query.__dict__, "limit": 1000}) if False else query
            )
        )
    assert listed.count_bookings(BookingQuery(status=BookingStatus.BOOKED)) == 4


def test_a_bad_query_is_refused_before_reaching_the_database() -> None:
    with pytest.raises(ValueError, match="sort must be one of"):
        BookingQuery(sort="customer_name; DROP TABLE bookings")
    with pytest.raises(ValueError):
        BookingQuery(offset=-1)


def test_change_counter_moves_when_another_connection_commits(
    repository: Repository, open_url: Callable[[], Repository]
) -> None:
    before = repository.change_counter()
    assert repository.change_counter() == before
    with open_url() as other:  # type: ignore[attr-defined]
        other.book(request("Ana Souza", 0))
    assert repository.change_counter() != before


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [
        ("", "ana@example.com", "name"),
        ("Ana\r\nBcc: x@y.z", "ana@example.com", "name"),
        ("x" * 121, "ana@example.com", "name"),
        ("Ana", "not an email", "email"),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_written(
    repository: Repository, name: str, email: str, field: str
) -> None:
    start = at(0)
    from timesyncer_gui import BookingRequest

    with pytest.raises(ValidationError) as caught:
        repository.book(BookingRequest(name, email, start, start + SLOT))
    assert caught.value.field == field
    assert repository.count_bookings(BookingQuery()) == 0


def test_end_before_start_and_over_long_bookings_are_refused(repository: Repository) -> None:
    with pytest.raises(ValidationError, match="end after it starts"):
        repository.book(request("Ana Souza", 0, length=0))
    with pytest.raises(ValidationError, match="at most 24 hours"):
        repository.book(request("Ana Souza", 0, length=25 * 60))


@pytest.mark.parametrize("name", ["José García", "李雷", "Zoë 👩‍⚕️", "محمد"])
def test_names_in_any_script_are_stored_exactly(repository: Repository, name: str) -> None:
    booking = repository.book(request(name, 0, email="someone@example.com"))
    assert repository.get(booking.id).customer_name == name


def test_the_database_itself_refuses_an_overlapping_row(repository: Repository) -> None:
    """A writer that skips the repository (a script, a bug) still cannot double-book."""
    repository.book(request("Ana Souza", 0))
    path = repository.path  # type: ignore[attr-defined]
    insert = (
        "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
        " end_utc, created_utc) VALUES (1, 'Raw', 'raw@example.com', ?, ?, 0)"
    )
    overlapping = int(at(0, 10).timestamp())
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError, match="slot_unavail"):
        raw.execute(insert, (overlapping, overlapping + 1800))
    with sqlite3.connect(path) as raw:
        raw.execute(insert, (int(at(2).timestamp()), int(at(3).timestamp())))
    with sqlite3.connect(path) as raw, pytest.raises(sqlite3.IntegrityError, match="slot_unavail"):
        raw.execute(
            "UPDATE bookings SET start_utc = start_utc - 3000, end_utc = end_utc - 3000"
            " WHERE customer_name = 'Raw'"
        )
    assert active_rows(repository) == [("Ana Souza", at(0)), ("Raw", at(2))]


def test_both_search_plans_find_the_same_bookings(
    listed: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rare terms are read through the trigram index, common ones by walking the sort order;
    the answer must not depend on which."""
    from timesyncer_gui.storage import sqlite_filters

    terms = ["beta", "BETA", "100%_", "example", "Carter", "zz-no-match"]
    rare = {
        t: (names(listed, search=t), listed.count_bookings(BookingQuery(search=t))) for t in terms
    }
    monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)  # every term now counts as common
    common = {
        t: (names(listed, search=t), listed.count_bookings(BookingQuery(search=t))) for t in terms
    }
    assert rare == common
    assert rare["beta"][1] == 2 and rare["zz-no-match"] == ([], 0)


def test_search_finds_names_edited_and_forgets_deleted_ones(repository: Repository) -> None:
    booking = repository.book(request("Olga Ivanova", 0, email="olga@example.ru"))
    assert names(repository, search="Ivanov") == ["Olga Ivanova"]
    path = repository.path  # type: ignore[attr-defined]
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE bookings SET customer_name = 'Olga Petrova' WHERE id = ?", (booking.id,)
        )
    assert names(repository, search="Ivanov") == []
    assert names(repository, search="Petrov") == ["Olga Petrova"]
    with sqlite3.connect(path) as raw:
        raw.execute("DELETE FROM bookings WHERE id = ?", (booking.id,))
    assert names(repository, search="Petrov") == []


def test_counting_can_stop_at_a_limit(listed: Repository) -> None:
    assert listed.count_bookings(BookingQuery()) == 5
    assert listed.count_bookings(BookingQuery(), limit=3) == 3
    assert listed.count_bookings(BookingQuery(search="beta"), limit=10) == 2


def test_bookings_made_by_another_process_are_found_by_the_next_search(
    repository: Repository, open_url: Callable[[], Repository]
) -> None:
    assert names(repository, search="Mensah") == []
    with open_url() as other:  # type: ignore[attr-defined]
        other.book(request("Kwame Mensah", 0))
        other.book(request("Kofi Mensah", 1))
    assert sorted(names(repository, search="Mensah")) == ["Kofi Mensah", "Kwame Mensah"]
    assert repository.count_bookings(BookingQuery(search="mensah")) == 2
