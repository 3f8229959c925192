"""The front desk's actions: the schedule's rules applied, then the repository called.

Plain Python (no Qt), so the window, scripts and tests share one path to a booking.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .domain.clock import Clock
from .domain.errors import SlotUnavailable
from .domain.models import Booking, BookingRequest
from .domain.schedule import Schedule, Slot

ONE_DAY = timedelta(days=1)

if TYPE_CHECKING:
    from .storage import Repository


class DaySlot(NamedTuple):
    """A slot of the day and the booking holding it, if any.

    ``off_grid`` marks a booking that none of the day's slots holds, shown at its own times: one
    made before the opening hours or the slot length changed must still be seen at the desk.
    """

    slot: Slot
    booking: Booking | None
    off_grid: bool = False

    @property
    def is_free(self) -> bool:
        return self.booking is None


class Desk:
    """Books, cancels and lays out the day for one desk's schedule and clock."""

    def __init__(self, repository: Repository, schedule: Schedule, clock: Clock) -> None:
        self.repository = repository
        self.schedule = schedule
        self.clock = clock

    def book(
        self,
        *,
        name: str,
        email: str,
        start: datetime,
        resource_id: int = 1,
        phone: str = "",
        notes: str = "",
    ) -> Booking:
        """Book the slot starting at ``start``; ValidationError or SlotUnavailable says why not."""
        from .domain.validation import validate_customer  # when a booking is made, not at start

        customer = validate_customer(name, email, phone, notes)
        slot = self.schedule.check_start(start, self.clock.now())
        request = BookingRequest(
            customer.name,
            customer.email,
            slot.start,
            slot.end,
            resource_id,
            customer.phone,
            customer.notes,
        )
        try:
            return self.repository.book(request)
        except SlotUnavailable as exc:
            raise self._local(exc) from None

    def cancel(self, booking_id: int) -> Booking:
        return self.repository.cancel(booking_id)

    def update_customer(
        self, booking_id: int, name: str, email: str, phone: str = "", notes: str = ""
    ) -> Booking:
        """Correct a booking's customer details (a mistyped name or address)."""
        return self.repository.update_customer(booking_id, name, email, phone, notes)

    def restore(self, booking_id: int) -> Booking:
        """Undo a cancel; SlotUnavailable if the time was booked by someone else since."""
        try:
            return self.repository.restore(booking_id)
        except SlotUnavailable as exc:
            raise self._local(exc) from None

    def move(self, booking_id: int, start: datetime, resource_id: int | None = None) -> Booking:
        """Move a booking to the slot starting at ``start``, checked like a new booking."""
        slot = self.schedule.check_start(start, self.clock.now())
        try:
            return self.repository.move(booking_id, slot.start, slot.end, resource_id)
        except SlotUnavailable as exc:
            raise self._local(exc) from None

    def _local(self, exc: SlotUnavailable) -> SlotUnavailable:
        """The same refusal, worded in the desk's time zone."""
        return SlotUnavailable(exc.start, exc.end, exc.booking_id, tz=self.schedule.timezone)

    def day(self, day: date, resource_id: int = 1) -> list[DaySlot]:
        """The slots of ``day`` (a local date), each with the active booking that holds it,
        and in time order among them any booking of the day that no slot holds."""
        midnight, next_midnight = self.local_midnight(day), self.local_midnight(day + ONE_DAY)
        slots = self.schedule.slots_on(day)
        # Every slot lies within the day, so the day's window holds every booking shown.
        bookings = self.repository.bookings_between(midnight, next_midnight, resource_id)
        result = []
        for slot in slots:
            holder = next((b for b in bookings if b.start < slot.end and b.end > slot.start), None)
            result.append(DaySlot(slot, holder))
        held = {entry.booking.id for entry in result if entry.booking is not None}
        result.extend(
            DaySlot(Slot(b.start, b.end), b, off_grid=True)
            for b in bookings
            if b.id not in held and midnight <= b.start < next_midnight
        )
        result.sort(key=lambda entry: entry.slot.start)  # stable: a slot before a booking
        return result

    def month_counts(
        self, year: int, month: int, resource_id: int | None = None
    ) -> dict[date, int]:
        """Active bookings on each local day of a month, from one query."""
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return self.counts_by_day(first, (following - first).days, resource_id)

    def counts_by_day(
        self,
        first: date,
        days: int,
        resource_id: int | None = None,
        since: datetime | None = None,
    ) -> dict[date, int]:
        """Active bookings starting on each local day from ``first``, from one query; on the
        day ``since`` falls on, only those starting at ``since`` or later."""
        dates = [first + timedelta(days=i) for i in range(days)]
        edges = [self.local_midnight(d) for d in [*dates, dates[-1] + timedelta(days=1)]]
        split = 0
        if since is not None:
            split = bisect_right(edges, since)
            if 0 < split < len(edges) and edges[split - 1] != since:
                edges.insert(split, since)  # that day, in two parts
            else:
                split = 0  # outside the days, or at a midnight: nothing to split
        counts = self.repository.counts_between(edges, resource_id)
        if split:
            del counts[split - 1]  # the part of that day before ``since``
        return dict(zip(dates, counts, strict=True))

    def still_to_come(self, now: datetime) -> list[Slot]:
        """Today's slots that can still be booked at ``now``: those not yet begun."""
        return [
            s for s in self.schedule.slots_on(self.schedule.local(now).date()) if s.start >= now
        ]

    def next_turn(self, now: datetime) -> datetime:
        """When the day's picture next changes with time alone: just after this instant its
        next slot has begun and cannot be booked, or midnight has made another day today."""
        ahead = self.still_to_come(now)
        tomorrow = self.schedule.local(now).date() + timedelta(days=1)
        return ahead[0].start if ahead else self.local_midnight(tomorrow)

    def local_midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=self.schedule.timezone)

    def today(self) -> date:
        return self.schedule.local(self.clock.now()).date()
