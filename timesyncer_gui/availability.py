"""How full each day is, for shading a calendar: closed, free, partly booked or full.

Plain Python over the desk, so the calendar widget only paints what this computes.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

from .desk import Desk


class DayState(Enum):
    CLOSED = "closed"
    FREE = "free"
    PARTLY = "partly booked"
    FULL = "full"


class DayAvailability(NamedTuple):
    day: date
    slots: int
    booked: int
    past: bool

    @property
    def state(self) -> DayState:
        if self.slots == 0:
            return DayState.CLOSED
        if self.booked == 0:
            return DayState.FREE
        if self.booked >= self.slots:
            return DayState.FULL
        return DayState.PARTLY

    def describe(self) -> str:
        """``3 of 16 slots booked`` for a tooltip or a screen reader."""
        if self.slots == 0:  # a booking there was made under other opening hours
            return (
                f"Closed ({self.booked} booking{'s' if self.booked > 1 else ''})"
                if self.booked
                else "Closed"
            )
        return f"{self.booked} of {self.slots} slots booked"


def availability(
    desk: Desk, first: date, days: int, resource_id: int | None = None
) -> dict[date, DayAvailability]:
    """Each day from ``first`` for ``days`` days, from one counting query.

    Today counts only the slots still to come and the bookings starting in them, so at closing
    time it shows as over, not as free; a closed day stays closed. (A booking a script made
    that began earlier and runs on into those slots is not counted: the desk books a slot at
    a time, and every day counts bookings by their start.)"""
    if days <= 0:
        return {}
    dates = [first + timedelta(days=i) for i in range(days)]
    now = desk.clock.now()
    today = desk.schedule.local(now).date()
    slots = {d: len(desk.schedule.slots_on(d)) for d in dates}
    ahead = desk.still_to_come(now) if today in slots else []
    over: set[date] = set()  # today, once its last slot has begun: shown as past days are
    if ahead:
        slots[today] = len(ahead)
    elif slots.get(today):
        over.add(today)
    counts = desk.counts_by_day(first, days, resource_id, ahead[0].start if ahead else None)
    resources = 1 if resource_id is not None else max(1, len(desk.repository.resources()))
    return {
        d: DayAvailability(d, slots[d] * resources, counts[d], d < today or d in over)
        for d in dates
    }
