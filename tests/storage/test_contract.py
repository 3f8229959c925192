"""The repository contract: what any backend must do, checked on a real database.

Every test takes the ``repository`` (or ``backend``) fixture, which is parametrised by
backend, so a PostgreSQL repository is held to the same promises by adding one parameter.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from timesyncer_gui import (
    Booking,
    BookingNotFound,
    BookingQuery,
    BookingRequest,
    BookingStatus,
    SlotUnavailable,
    ValidationError,
)
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.domain.outbox import MessageState
from timesyncer_gui.storage import SORT_COLUMNS, Repository

from .conftest import BASE, SLOT, Backend, at, epoch, request

CREATED = datetime(2030, 6, 1, 8, 0, tzinfo=UTC)


def active(repo: Repository) -> list[tuple[str, datetime]]:
    """(name, start) of every active booking, in start order: what the day view shows."""
    query = BookingQuery(status=BookingStatus.BOOKED, sort="start", limit=1000)
    return [(b.customer_name, b.start) for b in repo.list_bookings(query)]


def sent_all(repo: Repository) -> None:
    """Every email due by next year sent, as a running mail server would have sent them (a
    booking's news in turn: what follows waits for what came before)."""
    while claimed := repo.outbox.claim_due(at(0) + timedelta(days=365)):
        for message in claimed:
            repo.outbox.mark_sent(message.id, at(0))


def names(repo: Repository, **query: Any) -> list[str]:
    return [b.customer_name for b in repo.list_bookings(BookingQuery(**query))]


# -- booking and reading back -----------------------------------------------------------------


def test_a_booking_reads_back_as_stored_in_utc_with_tidy_details(backend: Backend) -> None:
    """What the desk typed comes back trimmed and normalised, at the same instant, in UTC."""
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2031, 3, 3, 10, 0, tzinfo=berlin)  # 09:00 UTC
    with closing(backend.open(clock=FixedClock(CREATED))) as repo:
        booking = repo.book(
            BookingRequest(
                "  Ana Souza \t",
                " Ana.Souza@EXAMPLE.com ",
                start,
                start + SLOT,
                phone=" +49 30 1234 ",
                notes=" First visit ",
            )
        )
        assert booking.id > 0
        assert (booking.customer_name, booking.customer_email) == (
            "Ana Souza",
            "Ana.Souza@example.com",
        )
        assert (booking.phone, booking.notes) == ("+49 30 1234", "First visit")
        assert booking.start == BASE and booking.end == BASE + SLOT
        assert booking.start.tzinfo is UTC and booking.end.tzinfo is UTC
        assert booking.status is BookingStatus.BOOKED and booking.is_active
        assert booking.created == CREATED and booking.cancelled is None
        assert repo.get(booking.id) == booking
    # A second connection (another desk) reads exactly the same booking.
    with closing(backend.open()) as other:
        assert other.get(booking.id) == booking


def test_an_unknown_booking_is_reported_by_number(repository: Repository) -> None:
    attempts: list[Callable[[], object]] = [
        lambda: repository.get(9999),
        lambda: repository.cancel(9999),
        lambda: repository.restore(9999),
        lambda: repository.move(9999, at(0), at(1)),
    ]
    for attempt in attempts:
        with pytest.raises(BookingNotFound) as caught:
            attempt()
        assert caught.value.booking_id == 9999
        assert caught.value.message == "Booking #9999 does not exist."


# -- overlaps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "length", "shape"),
    [
        (0, 30, "exactly the same time"),
        (15, 30, "starts inside it"),
        (-15, 30, "ends inside it"),
        (-30, 90, "covers it"),
        (5, 10, "lies inside it"),
        (0, 5, "same start, shorter"),
        (25, 5, "same end, shorter"),
    ],
)
def test_any_overlap_is_refused_naming_the_booking_in_the_way(
    repository: Repository, backend: Backend, minutes: int, length: int, shape: str
) -> None:
    first = repository.book(request("Ana Souza", 4))
    with pytest.raises(SlotUnavailable) as caught:
        repository.book(request("Ben Li", 4, minutes=minutes, length=length))
    refusal = caught.value
    assert (refusal.start, refusal.end, refusal.booking_id) == (first.start, first.end, first.id)
    assert refusal.message == (
        "That time is already taken: another booking runs from "
        "Mon 03 Mar 2031 11:00 to 11:30 UTC. Pick another slot."
    ), shape
    assert active(repository) == [("Ana Souza", at(4))]
    assert backend.count("bookings") == 1
    assert backend.count("outbox") == 1  # only Ana's confirmation: nothing half-written


def test_a_booking_across_two_others_is_refused_naming_one_of_them(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    ben = repository.book(request("Ben Li", 1))
    with pytest.raises(SlotUnavailable) as caught:
        repository.book(request("Cai Wen", 0, minutes=15))
    in_the_way = {b.id: b for b in (ana, ben)}[caught.value.booking_id]  # type: ignore[index]
    assert (caught.value.start, caught.value.end) == (in_the_way.start, in_the_way.end)


def test_half_open_intervals_let_bookings_touch(repository: Repository) -> None:
    """[9:00, 9:30) and [9:30, 10:00) share only the instant 9:30, which neither contains."""
    repository.book(request("Ana Souza", 1))  # 9:30 - 10:00
    repository.book(request("Ben Li", 0))  # 9:00 - 9:30, ends as Ana starts
    repository.book(request("Cai Wen", 2))  # 10:00 - 10:30, starts as Ana ends
    assert active(repository) == [("Ben Li", at(0)), ("Ana Souza", at(1)), ("Cai Wen", at(2))]


def test_different_resources_do_not_conflict(repository: Repository) -> None:
    room = repository.add_resource("  Room 2 ")
    assert room.name == "Room 2"
    assert [r.name for r in repository.resources()] == ["Main desk", "Room 2"]
    desk = repository.book(request("Ana Souza", 0))
    in_room = repository.book(request("Ben Li", 0, resource_id=room.id))
    assert (desk.resource_id, in_room.resource_id) == (1, room.id)
    with pytest.raises(SlotUnavailable) as caught:
        repository.book(request("Cai Wen", 0, minutes=10, resource_id=room.id))
    assert caught.value.booking_id == in_room.id
    with pytest.raises(ValidationError, match="already a resource named 'Room 2'"):
        repository.add_resource("Room 2")


# -- cancel, restore, move --------------------------------------------------------------------


def test_cancel_frees_the_slot_and_cancelling_twice_changes_nothing(
    repository: Repository,
) -> None:
    first = repository.book(request("Ana Souza", 0))
    sent_all(repository)  # the customer has the confirmation
    cancelled = repository.cancel(first.id)
    assert cancelled.status is BookingStatus.CANCELLED and not cancelled.is_active
    assert cancelled.cancelled is not None
    assert repository.get(first.id) == cancelled
    assert repository.cancel(first.id) == cancelled  # idempotent
    # Exactly one cancellation email is owed, however often the desk pressed Cancel.
    kinds = [str(m.kind) for m in repository.outbox.for_booking(first.id)]
    assert sorted(kinds) == ["cancellation", "confirmation"]
    second = repository.book(request("Ben Li", 0))
    assert (second.start, second.end) == (first.start, first.end)
    assert active(repository) == [("Ben Li", at(0))]


def test_restore_gives_the_slot_back_unless_it_was_taken(repository: Repository) -> None:
    first = repository.book(request("Ana Souza", 0))
    repository.cancel(first.id)
    assert repository.restore(first.id).status is BookingStatus.BOOKED
    repository.cancel(first.id)
    ben = repository.book(request("Ben Li", 0, minutes=15))
    with pytest.raises(SlotUnavailable) as caught:
        repository.restore(first.id)
    assert caught.value.booking_id == ben.id
    assert repository.get(first.id).status is BookingStatus.CANCELLED


def test_a_booking_cancelled_before_its_confirmation_went_sends_nothing(
    repository: Repository,
) -> None:
    """Booked in error while the mail server was down, cancelled at once: the customer, who
    never heard of it, gets neither a confirmation nor a cancellation."""
    ana = repository.book(request("Ana Souza", 0))
    repository.cancel(ana.id)
    states = [(str(m.kind), str(m.state)) for m in repository.outbox.for_booking(ana.id)]
    assert states == [("confirmation", "skipped")]
    assert repository.outbox.claim_due(at(0) + timedelta(days=365)) == []
    # Moved too before anything went: still nothing, not a "moved" email for a cancelled one.
    ben = repository.book(request("Ben Li", 1))
    repository.move(ben.id, at(4), at(5))
    repository.cancel(ben.id)
    assert repository.outbox.claim_due(at(0) + timedelta(days=365)) == []


def test_failed_emails_count_while_their_session_is_ahead(repository: Repository) -> None:
    """The status bar's "1 email failed": a customer not told, while it still matters."""
    ana = repository.book(request("Ana Souza", 0))
    [confirmation] = repository.outbox.claim_due(at(0) - timedelta(hours=2))
    repository.outbox.mark_failed(confirmation.id, "550 No such mailbox")
    assert repository.outbox.failed_ahead(at(0) - timedelta(hours=1)) == 1
    assert repository.outbox.failed_ahead(at(0)) == 0  # the session has begun
    assert repository.outbox.for_booking(ana.id)[0].state is MessageState.FAILED


def test_a_booking_with_no_email_yet_owed_is_told_of_its_cancel(
    repository: Repository, backend: Backend
) -> None:
    """Made by a script, or before the desk sent emails: no confirmation is waiting, so the
    customer may well know of it, and the cancel is sent."""
    with closing(backend.raw()) as raw:
        raw.execute(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, created_utc) VALUES (1, 'Ana Souza', 'ana@example.com', ?, ?, 0)",
            (epoch(at(0)), epoch(at(1))),
        )
        (booking_id,) = raw.execute("SELECT max(id) FROM bookings").fetchone()
    repository.cancel(booking_id)
    kinds = [str(m.kind) for m in repository.outbox.for_booking(booking_id)]
    assert kinds == ["cancellation"]


def test_a_quiet_cancel_undone_brings_the_reminders_back(repository: Repository) -> None:
    """The mail server was down for days: the confirmation and a reminder both wait when the
    booking is cancelled and the cancel undone. The reminder is owed again."""
    ana = repository.book(request("Ana Souza", 0))
    lead = [timedelta(hours=24)]
    assert repository.outbox.create_due_reminders(at(0) - timedelta(hours=24), lead) == 1
    repository.cancel(ana.id)
    assert repository.outbox.claim_due(at(0) + timedelta(days=365)) == []
    repository.restore(ana.id)
    assert repository.outbox.create_due_reminders(at(0) - timedelta(hours=23), lead) == 1
    due = repository.outbox.claim_due(at(0) + timedelta(days=365))
    assert sorted(str(m.kind) for m in due) == ["confirmation", "reminder"]


def test_a_cancel_undone_before_its_email_went_sends_nothing_more(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)
    repository.cancel(ana.id)
    repository.restore(ana.id)
    states = sorted((str(m.kind), str(m.state)) for m in repository.outbox.for_booking(ana.id))
    # The cancellation never went, and the customer still holds the confirmation.
    assert states == [("cancellation", "skipped"), ("confirmation", "sent")]


def test_a_booking_cancelled_and_restored_before_any_email_went_is_confirmed_once(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    repository.cancel(ana.id)
    repository.restore(ana.id)
    due = repository.outbox.claim_due(at(0) + timedelta(days=365))
    assert [(str(m.kind), m.start) for m in due] == [("confirmation", ana.start)]


def test_a_cancel_undone_after_its_email_went_sends_a_new_confirmation(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)
    repository.cancel(ana.id)
    sent_all(repository)
    repository.restore(ana.id)
    kinds = sorted((str(m.kind), str(m.state)) for m in repository.outbox.for_booking(ana.id))
    assert kinds == [("cancellation", "sent"), ("confirmation", "queued"), ("confirmation", "sent")]


def test_a_cancel_undone_after_a_failed_try_confirms_again_and_never_sends_it_later(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)
    repository.cancel(ana.id)
    late = at(0) + timedelta(days=365)
    for message in repository.outbox.claim_due(late):
        if message.kind == "cancellation":  # a timeout: it may have been delivered
            repository.outbox.mark_retry(message.id, "timed out", late)
        else:
            repository.outbox.mark_sent(message.id, at(0))
    repository.restore(ana.id)
    states = sorted((str(m.kind), str(m.state)) for m in repository.outbox.for_booking(ana.id))
    assert states == [
        ("cancellation", "skipped"),  # not sent later for a booking that stands
        ("confirmation", "queued"),
        ("confirmation", "sent"),
    ]


def test_move_keeps_the_same_guard(repository: Repository) -> None:
    ana = repository.book(request("Ana Souza", 0))
    ben = repository.book(request("Ben Li", 2))
    with pytest.raises(SlotUnavailable) as caught:
        repository.move(ana.id, at(2, 15), at(3, 15))
    assert caught.value.booking_id == ben.id
    assert repository.get(ana.id).start == at(0)
    moved = repository.move(ana.id, at(0, 15), at(1, 15))  # overlapping only itself
    assert (moved.start, moved.end) == (at(0, 15), at(1, 15))
    room = repository.add_resource("Room 2")
    across = repository.move(ben.id, at(0), at(1), resource_id=room.id)
    assert (across.resource_id, across.start) == (room.id, at(0))
    repository.cancel(ben.id)
    with pytest.raises(ValidationError, match="cancelled booking cannot be moved"):
        repository.move(ben.id, at(5), at(6))


# -- windows for the calendar -----------------------------------------------------------------


def test_bookings_between_returns_what_overlaps_the_window(repository: Repository) -> None:
    """A booking shows in a window if any part of it lies inside: [s, e) meets [lo, hi)."""
    room = repository.add_resource("Room 2").id
    window = (at(1), at(6))  # [9:30, 12:00)
    before = repository.book(request("Ends At Window Start", 0))  # [9:00, 9:30)
    straddles_start = repository.book(request("Over Start", 0, minutes=15, resource_id=room))
    inside = repository.book(request("Inside", 3))  # [10:30, 11:00)
    cancelled = repository.book(request("Cancelled Inside", 4))
    repository.cancel(cancelled.id)
    at_end = repository.book(request("Starts At Window End", 6, resource_id=room))
    in_room = repository.book(request("Room Inside", 3, resource_id=room))
    straddles_end = repository.book(request("Over End", 5, minutes=15))  # [11:45, 12:15)

    def ids(**options: Any) -> list[int]:
        return [b.id for b in repository.bookings_between(*window, **options)]

    # Same start as "Inside", so after it by id.
    assert ids() == [straddles_start.id, inside.id, in_room.id, straddles_end.id]
    assert ids(resource_id=1) == [inside.id, straddles_end.id]
    assert ids(resource_id=room) == [straddles_start.id, in_room.id]
    assert ids(include_cancelled=True) == [
        straddles_start.id,
        inside.id,
        in_room.id,
        cancelled.id,
        straddles_end.id,
    ]
    day = (at(-18), at(30))
    assert [b.id for b in repository.bookings_between(*day, resource_id=1)] == [
        before.id,
        inside.id,
        straddles_end.id,
    ]
    assert [b.id for b in repository.bookings_between(*day, resource_id=room)] == [
        straddles_start.id,
        in_room.id,
        at_end.id,
    ]
    assert repository.bookings_between(at(20), at(24)) == []


def test_bookings_between_is_in_start_order(repository: Repository) -> None:
    room = repository.add_resource("Room 2")
    repository.book(request("Late", 5))
    repository.book(request("Early", 1, resource_id=room.id))
    repository.book(request("Middle", 3))
    found = repository.bookings_between(at(0), at(10))
    assert [b.customer_name for b in found] == ["Early", "Middle", "Late"]
    assert [b.start for b in found] == sorted(b.start for b in found)


def test_counts_between_counts_several_windows_in_one_call(repository: Repository) -> None:
    """The month view asks for one count per day in a single call."""
    for slot in (0, 1, 2, 48, 49, 96):  # 48 half hours = one day
        repository.book(request(f"Customer {slot}", slot))
    gone = repository.book(request("Gone", 3))
    repository.cancel(gone.id)
    room = repository.add_resource("Room 2")
    repository.book(request("Room Guest", 50, resource_id=room.id))
    days = [BASE + timedelta(days=d) for d in range(5)]
    assert repository.counts_between(days) == [3, 3, 1, 0]
    assert repository.counts_between(days, resource_id=1) == [3, 2, 1, 0]
    assert repository.counts_between(days, resource_id=room.id) == [0, 1, 0, 0]
    # A booking counts in the window it starts in, and windows may be of any length.
    assert repository.counts_between([at(0), at(1), at(2, 15), at(96), at(97)]) == [1, 2, 3, 1]
    assert repository.counts_between(days[:1]) == []


# -- the bookings list ------------------------------------------------------------------------

# name, email, slot, length in minutes, in room 2?, minutes after CREATED it was made, cancelled?
PEOPLE = [
    ("Zed Adams", "Zed@Alpha.example", 6, 30, False, 50, False),
    ("ana Brown", "ana@beta.example", 0, 240, True, 30, False),
    ("Ben Carter", "ben@gamma.example", 3, 30, False, 10, False),
    ("Cai 100%_off", "cai@delta.example", 9, 60, False, 40, True),
    ("Dee O'Neil", "DEE@beta.example", 12, 30, True, 20, False),
    ("eve Ng", "eve@epsilon.example", 1, 30, False, 0, False),
]


@pytest.fixture
def listed(backend: Backend) -> Iterator[Repository]:
    """Six bookings whose every column sorts differently from their ids."""
    clock = FixedClock(CREATED)
    with closing(backend.open(clock=clock)) as repo:
        room = repo.add_resource("Room 2")
        for name, email, slot, length, in_room, made, cancel in PEOPLE:
            clock.set(CREATED + timedelta(minutes=made))
            booking = repo.book(
                request(
                    name, slot, length=length, email=email, resource_id=room.id if in_room else 1
                )
            )
            if cancel:
                repo.cancel(booking.id)
        yield repo


SORT_KEYS: dict[str, Callable[[Booking], Any]] = {
    "id": lambda b: b.id,
    "customer": lambda b: b.customer_name.lower(),
    "email": lambda b: b.customer_email.lower(),
    "start": lambda b: b.start,
    "end": lambda b: b.end,
    "resource": lambda b: b.resource_id,
    "status": lambda b: str(b.status),
    "created": lambda b: b.created,
}


def test_every_sort_column_has_a_key_here() -> None:
    assert set(SORT_KEYS) == set(SORT_COLUMNS)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("sort", SORT_COLUMNS)
def test_every_sort_column_orders_the_list_and_its_pages(
    listed: Repository, sort: str, descending: bool
) -> None:
    everything = listed.list_bookings(BookingQuery(sort=sort, descending=descending))
    assert len(everything) == len(PEOPLE)
    key = SORT_KEYS[sort]
    expected = sorted(everything, key=lambda b: (key(b), b.id), reverse=descending)
    assert [b.id for b in everything] == [b.id for b in expected]
    # Pages of two, one after the other, are the same list: nothing skipped, nothing repeated.
    pages = [
        listed.list_bookings(BookingQuery(sort=sort, descending=descending, offset=o, limit=2))
        for o in range(0, 8, 2)
    ]
    assert [len(p) for p in pages] == [2, 2, 2, 0]
    assert [b.id for page in pages for b in page] == [b.id for b in everything]


def test_sorting_by_name_or_email_ignores_case(listed: Repository) -> None:
    assert names(listed, sort="customer") == [
        "ana Brown",
        "Ben Carter",
        "Cai 100%_off",
        "Dee O'Neil",
        "eve Ng",
        "Zed Adams",
    ]
    emails = [b.customer_email for b in listed.list_bookings(BookingQuery(sort="email"))]
    assert emails == [
        "ana@beta.example",
        "ben@gamma.example",
        "cai@delta.example",
        "DEE@beta.example",
        "eve@epsilon.example",
        "Zed@alpha.example",
    ]
    assert names(listed, sort="created") == [
        "eve Ng",
        "Ben Carter",
        "Dee O'Neil",
        "ana Brown",
        "Cai 100%_off",
        "Zed Adams",
    ]
    assert names(listed, sort="status", descending=True)[0] == "Cai 100%_off"


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("BROWN", ["ana Brown"]),
        ("br", ["ana Brown"]),
        ("BETA", ["ana Brown", "Dee O'Neil"]),
        ("dee@", ["Dee O'Neil"]),
        ("o'n", ["Dee O'Neil"]),
        ("  carter ", ["Ben Carter"]),
        ("100%_", ["Cai 100%_off"]),
        # % and _ are the characters typed, not wildcards.
        ("%", ["Cai 100%_off"]),
        ("_", ["Cai 100%_off"]),
        ("_o", ["Cai 100%_off"]),
        ("%o", []),
        ("a_b", []),
        ("n%", []),
        ('"', []),
        ("zz-no-match", []),
    ],
)
def test_search_matches_name_or_email_ignoring_case(
    listed: Repository, term: str, found: list[str]
) -> None:
    assert names(listed, search=term, sort="customer") == found
    assert listed.count_bookings(BookingQuery(search=term)) == len(found)


def test_status_and_date_filters(listed: Repository) -> None:
    assert names(listed, status=BookingStatus.CANCELLED) == ["Cai 100%_off"]
    assert len(names(listed, status=BookingStatus.BOOKED)) == 5
    # start_from includes its instant, start_before excludes its own.
    assert names(listed, start_from=at(3), start_before=at(9)) == ["Ben Carter", "Zed Adams"]
    assert names(listed, start_from=at(9)) == ["Cai 100%_off", "Dee O'Neil"]
    assert names(
        listed, search="beta", status=BookingStatus.BOOKED, start_from=at(1), sort="start"
    ) == ["Dee O'Neil"]


@pytest.mark.parametrize(
    "query",
    [
        BookingQuery(),
        BookingQuery(offset=4, limit=1),
        BookingQuery(search="beta"),
        BookingQuery(search="e"),
        BookingQuery(status=BookingStatus.BOOKED),
        BookingQuery(status=BookingStatus.CANCELLED, search="cai"),
        BookingQuery(start_from=at(3), start_before=at(12)),
        BookingQuery(search="example", status=BookingStatus.BOOKED, start_before=at(7)),
    ],
)
def test_count_agrees_with_the_list(listed: Repository, query: BookingQuery) -> None:
    """The table's row count and its rows come from the same filters; paging is ignored."""
    whole = dataclasses.replace(query, offset=0, limit=1000)
    assert listed.count_bookings(query) == len(listed.list_bookings(whole))
    assert listed.count_bookings(query, limit=2) == min(2, len(listed.list_bookings(whole)))


def test_a_bad_query_is_refused_before_reaching_the_database() -> None:
    with pytest.raises(ValueError, match="sort must be one of"):
        BookingQuery(sort="customer_name; DROP TABLE bookings")
    with pytest.raises(ValueError, match="must not be negative"):
        BookingQuery(offset=-1)


def test_both_search_plans_find_the_same_bookings(
    listed: Repository, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rare terms are read through the trigram index, common ones by walking the sort order;
    the answer must not depend on which."""
    from timesyncer_gui.storage import sqlite_filters

    terms = ["beta", "BETA", "100%_", "example", "Carter", "o'n", "zz-no-match"]

    def answers() -> dict[str, tuple[list[str], list[str], int]]:
        return {
            t: (
                names(listed, search=t),
                names(listed, search=t, sort="customer"),
                listed.count_bookings(BookingQuery(search=t)),
            )
            for t in terms
        }

    def capped_counts() -> dict[str, int]:
        return {t: listed.count_bookings(BookingQuery(search=t), limit=4) for t in terms}

    rare, rare_capped = answers(), capped_counts()  # counted through the index's matches
    monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)  # every term now counts as common
    monkeypatch.setattr(sqlite_filters, "TEXT_SORT_PROBE", 1)  # even when sorted by name
    assert answers() == rare
    assert capped_counts() == rare_capped  # counted by testing each row
    assert rare_capped["example"] == 4 and rare_capped["beta"] == 2
    assert rare["beta"][2] == 2 and rare["example"][2] == 6 and rare["zz-no-match"] == ([], [], 0)


@pytest.mark.parametrize("common", [False, True])
def test_a_search_count_agrees_with_its_rows_beyond_a_to_z(
    repository: Repository, monkeypatch: pytest.MonkeyPatch, common: bool
) -> None:
    """The index folds case in every alphabet and LIKE only in A-Z; the count of a search
    follows the plan of its page, so the summary never disagrees with the rows shown."""
    from timesyncer_gui.storage import sqlite_filters

    repository.book(request("JOSÉ GARCÍA", 0, email="jose@example.com"))
    repository.book(request("José García", 1, email="jg@example.com"))
    if common:
        monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)
        monkeypatch.setattr(sqlite_filters, "TEXT_SORT_PROBE", 1)
    for term in ("josé", "GARCÍA", "garc"):
        for sort in ("start", "customer"):
            query = BookingQuery(search=term, sort=sort)
            rows = repository.list_bookings(query)
            assert repository.count_bookings(query, limit=10) == len(rows), (term, sort)
            assert repository.count_bookings(query) == len(rows), (term, sort)
    assert len(repository.list_bookings(BookingQuery(search="garc"))) == 2


def test_a_booking_made_by_another_desk_is_found_by_the_next_search(
    repository: Repository, open_again: Callable[[], Repository]
) -> None:
    assert names(repository, search="Mensah") == []
    with closing(open_again()) as other:
        other.book(request("Kwame Mensah", 0))
        other.book(request("Kofi Mensah", 1))
    assert names(repository, search="Mensah", sort="customer") == ["Kofi Mensah", "Kwame Mensah"]
    assert repository.count_bookings(BookingQuery(search="mensah")) == 2


def test_search_follows_names_edited_or_deleted_outside_the_app(
    repository: Repository, backend: Backend
) -> None:
    booking = repository.book(request("Olga Ivanova", 0, email="olga@example.ru"))
    assert names(repository, search="Ivanov") == ["Olga Ivanova"]
    with closing(backend.raw()) as raw:
        raw.execute(
            "UPDATE bookings SET customer_name = 'Olga Petrova' WHERE id = ?", (booking.id,)
        )
    assert names(repository, search="Ivanov") == []
    assert names(repository, search="Petrov") == ["Olga Petrova"]
    with closing(backend.raw()) as raw:
        raw.execute("DELETE FROM outbox WHERE booking_id = ?", (booking.id,))
        raw.execute("DELETE FROM bookings WHERE id = ?", (booking.id,))
    assert names(repository, search="Petrov") == []


ACCENTED = [
    ("José Müller", "jose.m@example.com"),
    ("Jose Muller", "jm@example.com"),
    ("Ana Núñez", "ana@example.com"),
    ("Zoë Brontë", "zoe@example.com"),
    ("Søren Kierkegaard", "sk@example.com"),
]


@pytest.mark.parametrize("common", [False, True], ids=["index", "row by row"])
@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("jose", ["Jose Muller", "José Müller"]),
        ("JOSÉ", ["Jose Muller", "José Müller"]),
        ("müller", ["Jose Muller", "José Müller"]),
        ("nunez", ["Ana Núñez"]),
        ("NÚÑ", ["Ana Núñez"]),
        ("bronte", ["Zoë Brontë"]),
        ("zoe", ["Zoë Brontë"]),
        ("jo", ["Jose Muller", "José Müller"]),  # too short for the index: tested row by row
        ("søren", ["Søren Kierkegaard"]),  # ø is a letter of its own, not an o with an accent
        ("soren", []),
    ],
)
def test_search_ignores_accents_as_well_as_case(
    repository: Repository,
    monkeypatch: pytest.MonkeyPatch,
    common: bool,
    term: str,
    found: list[str],
) -> None:
    from timesyncer_gui.storage import sqlite_filters

    for slot, (name, email) in enumerate(ACCENTED):
        repository.book(request(name, slot, email=email))
    if common:  # every term counts as common: its rows are tested one by one
        monkeypatch.setattr(sqlite_filters, "SEARCH_PROBE", 1)
        monkeypatch.setattr(sqlite_filters, "TEXT_SORT_PROBE", 1)
    for sort in ("customer", "start"):  # read through the index, when it is, either way
        assert sorted(names(repository, search=term, sort=sort)) == found
    assert repository.count_bookings(BookingQuery(search=term)) == len(found)


def test_sorting_by_name_ignores_accents(repository: Repository) -> None:
    for slot, name in enumerate(["Zoe Adams", "Émile Roux", "adam Kay", "Ölaf Berg", "Eva Lund"]):
        repository.book(request(name, slot))
    expected = ["adam Kay", "Émile Roux", "Eva Lund", "Ölaf Berg", "Zoe Adams"]
    assert names(repository, sort="customer") == expected
    assert names(repository, sort="customer", descending=True) == expected[::-1]


def test_names_another_program_writes_are_searched_and_sorted_folded(
    repository: Repository, backend: Backend
) -> None:
    """A script with plain SQL cannot fold names; the app folds them before its next search or
    sort by name, and the search index stays true to the table throughout."""
    repository.book(request("Ana Lima", 0))
    with closing(backend.raw()) as raw:
        raw.execute(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, created_utc) VALUES (1, 'Renée Côté', 'renee@example.com', ?, ?, 0)",
            (epoch(at(1)), epoch(at(2))),
        )
    assert names(repository, search="renee") == ["Renée Côté"]
    assert names(repository, sort="customer") == ["Ana Lima", "Renée Côté"]
    with closing(backend.raw()) as raw:
        raw.execute(
            "UPDATE bookings SET customer_name = 'Chloé Noël' WHERE customer_name = 'Renée Côté'"
        )
    assert names(repository, sort="customer") == ["Ana Lima", "Chloé Noël"]
    assert names(repository, search="cote") == []
    assert names(repository, search="noel") == ["Chloé Noël"]
    with closing(backend.raw()) as raw:
        raw.execute("DELETE FROM bookings WHERE customer_name = 'Chloé Noël'")
        assert raw.execute("SELECT count(*) FROM bookings WHERE name_key IS NULL").fetchone() == (
            0,
        )
        index_agrees_with_the_keys(raw)
    assert names(repository, search="noel") == []


def index_agrees_with_the_keys(raw: sqlite3.Connection) -> None:
    """FTS5's own check, against the table's keys too (rank 1), once every name is folded."""
    raw.execute("INSERT INTO bookings_search (bookings_search, rank) VALUES ('integrity-check', 1)")


def test_another_programs_odd_writes_keep_the_search_index_true(
    repository: Repository, backend: Backend
) -> None:
    """A name stored as bytes, a booking's id changed, a booking replaced: searches go on
    working and the index stays true to the table."""
    repository.book(request("Ana Lima", 0))
    with closing(backend.raw()) as raw:
        raw.execute(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, created_utc) VALUES (1, ?, 'zoe@example.com', ?, ?, 0)",
            ("Zoë Brontë".encode(), epoch(at(1)), epoch(at(2))),
        )
    assert repository.count_bookings(BookingQuery(search="bronte")) == 1
    assert len(names(repository, sort="customer")) == 2
    with closing(backend.raw()) as raw:
        raw.execute("UPDATE bookings SET id = 500 WHERE customer_email = 'zoe@example.com'")
    assert [b.id for b in repository.list_bookings(BookingQuery(search="zoe@"))] == [500]
    with closing(backend.raw()) as raw:
        with pytest.raises(sqlite3.IntegrityError, match="booking_exists"):
            raw.execute(
                "INSERT OR REPLACE INTO bookings (id, resource_id, customer_name, customer_email,"
                " start_utc, end_utc, created_utc) VALUES (500, 1, 'Zed', 'z@example.com',"
                " ?, ?, 0)",
                (epoch(at(4)), epoch(at(5))),
            )
        with pytest.raises(sqlite3.IntegrityError, match="booking_exists"):
            raw.execute("UPDATE OR REPLACE bookings SET id = 500 WHERE customer_name = 'Ana Lima'")
        # Latin-1 text, as a CSV loaded with the sqlite3 shell may leave it: not UTF-8.
        raw.execute(
            "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
            " end_utc, created_utc) VALUES (1, CAST(? AS TEXT), 'jo@example.com', ?, ?, 0)",
            ("Jos\xe9".encode("latin-1"), epoch(at(6)), epoch(at(7))),
        )
    assert repository.count_bookings(BookingQuery(search="jo@")) == 1
    with closing(backend.raw()) as raw:
        index_agrees_with_the_keys(raw)
    assert repository.count_bookings(BookingQuery(search="zoe@")) == 1


@pytest.mark.parametrize(
    "assignments",
    [
        "customer_name = 'Olga Petrova'",  # the keys cleared, folded again by the app
        "customer_name = 'Olga Petrova', name_key = 'olga petrova'",  # keys given too
        "customer_name = 'Olga Petrova', name_key = name_key",  # keys "set" as they were
        "customer_email = 'olga@example.org', id = 900",
    ],
)
def test_a_name_changed_with_or_without_its_keys_keeps_the_index_true(
    repository: Repository, backend: Backend, assignments: str
) -> None:
    booking = repository.book(request("Olga Ivanova", 0, email="olga@example.ru"))
    assert names(repository, search="ivanov") == ["Olga Ivanova"]
    with closing(backend.raw()) as raw:
        raw.execute(f"UPDATE bookings SET {assignments} WHERE id = ?", (booking.id,))
    found = names(repository, search="olga")
    assert len(found) == 1
    with closing(backend.raw()) as raw:
        index_agrees_with_the_keys(raw)


# -- other desks ------------------------------------------------------------------------------


def test_change_counter_moves_when_another_connection_commits(
    repository: Repository, open_again: Callable[[], Repository]
) -> None:
    """The window polls this number to know when to reload what another desk changed."""
    before = repository.change_counter()
    assert repository.change_counter() == before  # nothing happened, nothing moves
    with closing(open_again()) as other:
        booking = other.book(request("Ana Souza", 0))
        after_booking = repository.change_counter()
        assert after_booking != before
        other.cancel(booking.id)
    assert repository.change_counter() != after_booking
    assert active(repository) == []


# -- refusals that write nothing --------------------------------------------------------------


def _attempt(**fields: Any) -> BookingRequest:
    start = at(0)
    values: dict[str, Any] = {
        "customer_name": "Ana Souza",
        "customer_email": "ana@example.com",
        "start": start,
        "end": start + SLOT,
    }
    values.update(fields)
    return BookingRequest(**values)


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"customer_name": "   "}, "name", "enter the customer's name"),
        ({"customer_name": "Ana\r\nBcc: x@y.z"}, "name", "line breaks"),
        ({"customer_name": "x" * 121}, "name", "too long"),
        ({"customer_email": ""}, "email", "enter the customer's email"),
        ({"customer_email": "not an email"}, "email", "not valid"),
        ({"customer_email": "ana@example.com\nBcc: x@y.z"}, "email", "control characters"),
        ({"phone": "call me on 0958"}, "phone", "only digits"),
        ({"phone": "call me"}, "phone", "needs its digits"),
        ({"notes": "n" * 2001}, "notes", "too long"),
        ({"end": at(0)}, "start", "end after it starts"),
        ({"end": at(0) - SLOT}, "start", "end after it starts"),
        ({"end": at(0) + timedelta(hours=25)}, "start", "at most 24 hours"),
        ({"resource_id": 99}, "resource", "no resource #99"),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_written(
    repository: Repository, backend: Backend, fields: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        repository.book(_attempt(**fields))
    assert caught.value.field == field
    assert says in caught.value.message
    assert repository.count_bookings(BookingQuery()) == 0
    assert (backend.count("bookings"), backend.count("outbox")) == (0, 0)
    # The refusal left the connection usable: the corrected booking goes through.
    assert repository.book(_attempt()).customer_name == "Ana Souza"


@pytest.mark.parametrize("name", ["", "   ", "r" * 81])
def test_a_resource_needs_a_sensible_name(repository: Repository, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        repository.add_resource(name)
    assert caught.value.field == "resource"
    assert "1 to 80 characters" in caught.value.message
    assert [r.name for r in repository.resources()] == ["Main desk"]


@pytest.mark.parametrize(
    "name",
    ["José García", "李雷", "Dr Ana 👩‍⚕️", "محمد عبد الله", "Ærøskøbing Ørsted", "Zoë Ñúñez"],
)
def test_names_in_any_script_are_stored_exactly(
    repository: Repository, backend: Backend, name: str
) -> None:
    booking = repository.book(request(name, 0, email="someone@example.com"))
    assert repository.get(booking.id).customer_name == name
    with closing(backend.raw()) as raw:
        stored = raw.execute(
            "SELECT customer_name FROM bookings WHERE id = ?", (booking.id,)
        ).fetchone()[0]
    assert stored == name and stored.encode() == name.encode()
    assert names(repository, search=name) == [name]


# -- the database's own guard -----------------------------------------------------------------

RAW_INSERT = (
    "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc, end_utc,"
    " created_utc) VALUES (1, ?, 'raw@example.com', ?, ?, 0)"
)


def test_the_database_itself_refuses_an_overlapping_row(
    repository: Repository, backend: Backend
) -> None:
    """A writer that skips the repository (a script, a bug) still cannot double-book."""
    repository.book(request("Ana Souza", 0))
    with closing(backend.raw()) as raw:
        for start in (at(0), at(0, 10), at(0, -10)):
            with pytest.raises(sqlite3.IntegrityError, match="slot_unavailable"):
                raw.execute(RAW_INSERT, ("Overlap", epoch(start), epoch(start + SLOT)))
        raw.execute(RAW_INSERT, ("Raw Next", epoch(at(1)), epoch(at(2))))  # touching is fine
        with pytest.raises(sqlite3.IntegrityError, match="slot_unavailable"):
            raw.execute(
                "UPDATE bookings SET start_utc = start_utc - 900, end_utc = end_utc - 900"
                " WHERE customer_name = 'Raw Next'"
            )
    assert active(repository) == [("Ana Souza", at(0)), ("Raw Next", at(1))]
    assert backend.count("bookings") == 2


# -- correcting a customer's details ------------------------------------------------------------


def waiting_emails(repo: Repository, booking_id: int) -> list[tuple[str, str, str]]:
    """(kind, recipient, name) of each email about the booking still to be sent."""
    return [
        (str(m.kind), m.recipient, m.customer_name)
        for m in repo.outbox.for_booking(booking_id)
        if m.state is MessageState.QUEUED
    ]


def test_a_customers_details_are_corrected_and_checked_as_when_booking(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Sousa", 0))
    fixed = repository.update_customer(
        ana.id, " Ana Souza ", ana.customer_email, "+351 912 345 678", "Knee, left"
    )
    assert (fixed.customer_name, fixed.phone, fixed.notes) == (
        "Ana Souza",
        "+351 912 345 678",
        "Knee, left",
    )
    assert repository.get(ana.id) == fixed
    assert (fixed.start, fixed.end, fixed.status) == (ana.start, ana.end, ana.status)
    assert names(repository, search="souza") == ["Ana Souza"]  # found by the new name
    assert names(repository, search="sousa") == []
    with pytest.raises(ValidationError) as caught:
        repository.update_customer(ana.id, "Ana Souza", "ana@", "", "")
    assert caught.value.field == "email"
    assert repository.get(ana.id) == fixed  # nothing half-written
    with pytest.raises(BookingNotFound):
        repository.update_customer(9999, "Ana Souza", "ana@example.com")


def test_a_corrected_address_is_sent_the_confirmation_and_what_else_waits(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)  # the confirmation went to the mistyped address
    lead = [timedelta(hours=24)]
    repository.outbox.create_due_reminders(at(0) - timedelta(hours=24), lead)
    repository.update_customer(ana.id, "Ana Souza", "ana.souza@example.com")
    assert waiting_emails(repository, ana.id) == [
        ("confirmation", "ana.souza@example.com", "Ana Souza")
    ]
    # The reminder still owed goes to the new address at the next pass.
    repository.outbox.create_due_reminders(at(0) - timedelta(hours=23), lead)
    recipients = {m[1] for m in waiting_emails(repository, ana.id)}
    assert recipients == {"ana.souza@example.com"}
    # A change of case only is the same address: nothing is sent again.
    sent_all(repository)
    repository.update_customer(ana.id, "Ana Souza", "Ana.Souza@example.com")
    assert waiting_emails(repository, ana.id) == []


def test_a_corrected_name_is_in_the_email_still_waiting_and_sends_no_other(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Sousa", 0))
    repository.update_customer(ana.id, "Ana Souza", ana.customer_email)
    assert waiting_emails(repository, ana.id) == [("confirmation", ana.customer_email, "Ana Souza")]
    sent_all(repository)
    repository.update_customer(ana.id, "Ana Souza-Lima", ana.customer_email, "+44 20 7946 0000")
    assert waiting_emails(repository, ana.id) == []  # a name or a phone is no news


# -- news that no longer stands --------------------------------------------------------------


def sent_in_turn(repo: Repository) -> list[tuple[str, str, datetime]]:
    """Send everything due by next year, in claim order: (kind, recipient, start) of each."""
    out = []
    while claimed := repo.outbox.claim_due(at(0) + timedelta(days=365)):
        for message in claimed:
            repo.outbox.mark_sent(message.id, at(0))
            out.append((str(message.kind), message.recipient, message.start))
    return out


def failed_confirmation(repo: Repository, reached: bool) -> tuple[Booking, int]:
    """A booking whose confirmation failed for good; ``reached`` if its tries got as far as
    a server (time-outs after the data: it may have been delivered)."""
    ana = repo.book(request("Ana Souza", 0))
    [confirmation] = repo.outbox.claim_due(at(0) - timedelta(days=1))
    why = "gave up after 24 hours of retries; last: timed out"
    repo.outbox.mark_failed(confirmation.id, why, reached)
    return ana, confirmation.id


def test_retry_now_keeps_a_possibly_delivered_email_counted_as_heard(
    repository: Repository,
) -> None:
    """Retried at once after failing, a confirmation that may have arrived still may have: a
    cancel is then told to the customer."""
    ana, confirmation = failed_confirmation(repository, reached=True)
    repository.outbox.retry_now(confirmation, at(0) - timedelta(days=1))
    repository.cancel(ana.id)
    assert [kind for kind, *_ in sent_in_turn(repository)] == ["confirmation", "cancellation"]


def test_a_move_retires_the_failed_confirmation_of_the_old_time(repository: Repository) -> None:
    ana, _ = failed_confirmation(repository, reached=False)  # the server was down all day
    repository.move(ana.id, at(4), at(5))
    assert repository.outbox.failed_ahead(at(0) - timedelta(days=1)) == 0  # nothing to chase
    assert sent_in_turn(repository) == [("confirmation", ana.customer_email, at(4))]


def test_a_failed_confirmation_is_not_retried_after_the_cancellation(
    repository: Repository,
) -> None:
    ana, confirmation = failed_confirmation(repository, reached=True)
    repository.cancel(ana.id)
    assert [kind for kind, *_ in sent_in_turn(repository)] == ["cancellation"]
    repository.outbox.retry_now(confirmation, at(0))  # Retry now has nothing to retry
    assert sent_in_turn(repository) == []


def test_a_cancel_drops_a_move_notice_never_had_and_names_the_time_the_customer_knows(
    repository: Repository,
) -> None:
    """Confirmed for 09:00, moved while the server refused connections, then cancelled: one
    email, cancelling the 09:00 the customer knows of."""
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)
    repository.move(ana.id, at(4), at(5))
    [move] = repository.outbox.claim_due(at(0) + timedelta(days=365))
    repository.outbox.mark_retry(move.id, "refused", at(0), reached=False)
    repository.cancel(ana.id)
    assert sent_in_turn(repository) == [("cancellation", ana.customer_email, at(0))]


def test_a_move_notice_that_may_have_arrived_goes_before_the_cancellation(
    repository: Repository,
) -> None:
    """A move notice that timed out after its data may be in the customer's inbox: it goes
    first, and the cancellation names the time it gave."""
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)
    repository.move(ana.id, at(4), at(5))
    [move] = repository.outbox.claim_due(at(0) + timedelta(days=365))
    repository.outbox.mark_retry(move.id, "timed out", at(0))
    repository.cancel(ana.id)
    sent = [(kind, start) for kind, _to, start in sent_in_turn(repository)]
    assert sent == [("move", at(4)), ("cancellation", at(4))]


def test_a_corrected_address_then_a_move_is_confirmed_at_the_new_time(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)  # to the mistyped address
    repository.update_customer(ana.id, "Ana Souza", "ana.souza@example.com")
    repository.move(ana.id, at(4), at(5))
    assert sent_in_turn(repository) == [("confirmation", "ana.souza@example.com", at(4))]


def test_an_address_corrected_on_a_cancelled_booking_is_confirmed_when_restored(
    repository: Repository,
) -> None:
    ana = repository.book(request("Ana Souza", 0))
    sent_all(repository)  # the confirmation went to the mistyped address
    repository.cancel(ana.id)
    repository.update_customer(ana.id, "Ana Souza", "ana.souza@example.com")
    repository.restore(ana.id)  # Ctrl+Z before the cancellation went
    assert sent_in_turn(repository) == [("confirmation", "ana.souza@example.com", at(0))]


def test_a_corrected_name_reaches_the_reminders_still_owed(repository: Repository) -> None:
    ana = repository.book(request("Ana Sousa", 0))
    sent_all(repository)
    lead = [timedelta(hours=24)]
    repository.outbox.create_due_reminders(at(0) - timedelta(hours=24), lead)
    repository.update_customer(ana.id, "Ana Souza", ana.customer_email)
    repository.outbox.create_due_reminders(at(0) - timedelta(hours=23), lead)  # next pass
    waiting = [
        (str(m.kind), m.customer_name)
        for m in repository.outbox.for_booking(ana.id)
        if m.state is MessageState.QUEUED
    ]
    assert waiting == [("reminder", "Ana Souza")]


def test_a_slow_senders_late_outcome_cannot_bring_back_news_set_aside(
    repository: Repository,
) -> None:
    """A sender so slow its claim looked abandoned reports a failed try after the booking
    moved: the old time's confirmation, set aside by the move, stays aside."""
    ana = repository.book(request("Ana Souza", 0))
    [slow] = repository.outbox.claim_due(at(0) - timedelta(days=1))
    assert repository.outbox.requeue_abandoned(at(0), timedelta(0)) == 1
    repository.move(ana.id, at(4), at(5))
    repository.outbox.mark_retry(slow.id, "timed out", at(0) - timedelta(days=1))
    # The slow try may have delivered it, so the customer is told of the move; only that.
    assert sent_in_turn(repository) == [("move", ana.customer_email, at(4))]
