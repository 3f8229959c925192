"""The booking records the desk works with. Instants are timezone-aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple


class BookingStatus(StrEnum):
    """Where a booking stands; a cancelled booking no longer holds its slot."""

    BOOKED = "booked"
    CANCELLED = "cancelled"


class Resource(NamedTuple):
    """What a booking occupies: a room, a person, a chair. A new install has one."""

    id: int
    name: str


class BookingRequest(NamedTuple):
    """What the desk asks the repository to store; validated before it is written."""

    customer_name: str
    customer_email: str
    start: datetime
    end: datetime
    resource_id: int = 1
    phone: str = ""
    notes: str = ""


class Booking(NamedTuple):
    """A stored booking: the half-open interval [start, end) on one resource."""

    id: int
    resource_id: int
    customer_name: str
    customer_email: str
    start: datetime
    end: datetime
    status: BookingStatus
    created: datetime
    phone: str = ""
    notes: str = ""
    cancelled: datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status is BookingStatus.BOOKED


def to_epoch(instant: datetime) -> int:
    """Seconds since the epoch; refuses naive datetimes, which have no place in storage."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant!r} has no time zone; pass an aware datetime")
    return int(instant.timestamp())


def from_epoch(seconds: int) -> datetime:
    """The UTC instant for ``seconds`` since the epoch."""
    return datetime.fromtimestamp(seconds, tz=UTC)
