"""What every repository offers, SQLite now and PostgreSQL later; one test suite checks both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from ..domain.models import Booking, BookingRequest, BookingStatus, Resource
from ..domain.outbox import OutboxMessage

SORT_COLUMNS = ("id", "customer", "email", "start", "end", "resource", "status", "created")


@dataclass(frozen=True, slots=True)
class BookingQuery:
    """A page of the bookings list: filter, order and window, all applied by the database."""

    offset: int = 0
    limit: int = 100
    sort: str = "start"
    descending: bool = False
    search: str = ""
    status: BookingStatus | None = None
    start_from: datetime | None = None
    start_before: datetime | None = None

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"sort must be one of {', '.join(SORT_COLUMNS)}, not {self.sort!r}")
        if self.offset < 0 or self.limit < 0:
            raise ValueError("offset and limit must not be negative")

    @property
    def term(self) -> str:
        """The text searched for, as every layer reads it. A NUL, which no one types, is
        dropped: SQL's LIKE stops reading its pattern there and a text index does not."""
        return self.search.replace("\0", "").strip()


class Outbox(Protocol):
    """The emails owed to customers; see storage.sqlite_outbox for the SQLite one."""

    def create_due_reminders(
        self, now: datetime, leads: Sequence[timedelta], since: datetime | None = None
    ) -> int: ...
    def claim_due(self, now: datetime, limit: int = 50) -> list[OutboxMessage]: ...
    def mark_sent(self, message_id: int, now: datetime) -> None: ...
    def mark_retry(
        self, message_id: int, error: str, next_attempt: datetime, reached: bool = True
    ) -> None: ...
    def mark_failed(self, message_id: int, error: str, reached: bool = True) -> None: ...
    def release(self, message_ids: Sequence[int], error: str) -> None: ...
    def requeue_abandoned(self, now: datetime, older_than: timedelta) -> int: ...
    def retry_now(self, message_id: int, now: datetime) -> None: ...
    def waiting(self) -> int: ...
    def failed_ahead(self, now: datetime) -> int: ...
    def page(self, offset: int = 0, limit: int = 200) -> list[OutboxMessage]: ...
    def count(self) -> int: ...
    def for_booking(self, booking_id: int) -> list[OutboxMessage]: ...


class Repository(Protocol):
    """The booking store. Every method is one transaction; errors are TimeSyncerError.

    ``outbox`` shares the repository's connection: a booking change and the emails it owes
    are written in one transaction."""

    outbox: Outbox

    def book(self, request: BookingRequest) -> Booking:
        """Store a booking, or raise SlotUnavailable if it overlaps an active one."""
        ...

    def cancel(self, booking_id: int) -> Booking:
        """Cancel a booking, freeing its slot; cancelling twice is harmless."""
        ...

    def restore(self, booking_id: int) -> Booking:
        """Undo a cancel: the booking holds its slot again, or SlotUnavailable if taken since."""
        ...

    def move(
        self, booking_id: int, start: datetime, end: datetime, resource_id: int | None = None
    ) -> Booking:
        """Move an active booking to [start, end), with the same guard against overlap."""
        ...

    def update_customer(
        self, booking_id: int, name: str, email: str, phone: str = "", notes: str = ""
    ) -> Booking:
        """Correct the customer's details, checked as when booking. A new address is sent
        the confirmation; emails not yet sent carry the corrected details."""
        ...

    def get(self, booking_id: int) -> Booking:
        """The booking with that id, or BookingNotFound."""
        ...

    def bookings_between(
        self,
        start: datetime,
        end: datetime,
        resource_id: int | None = None,
        include_cancelled: bool = False,
    ) -> list[Booking]:
        """Bookings overlapping [start, end), in start order."""
        ...

    def counts_between(
        self, boundaries: Sequence[datetime], resource_id: int | None = None
    ) -> list[int]:
        """Active bookings starting in each [boundaries[i], boundaries[i+1]), one query."""
        ...

    def list_bookings(self, query: BookingQuery) -> list[Booking]:
        """One page of bookings, filtered and ordered by the database."""
        ...

    def count_bookings(self, query: BookingQuery, limit: int | None = None) -> int:
        """How many bookings match the query's filters (ignoring its offset and limit),
        counting no further than ``limit`` when one is given."""
        ...

    def resources(self) -> list[Resource]:
        """Every resource, by id."""
        ...

    def add_resource(self, name: str) -> Resource:
        """A new resource (a room, a person, a chair)."""
        ...

    def change_counter(self) -> int:
        """A number that changes when another connection commits; cheap to poll."""
        ...

    def close(self) -> None:
        """Release the connection; the repository is unusable afterwards."""
        ...
