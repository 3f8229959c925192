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
        if self.slots == 0:
            return "Closed"
        return f"{self.booked} of {self.slots} slots booked"


def availability(
    desk: Desk, first: date, days: int, resource_id: int | None = None
) -> dict[date, DayAvailability]:
    """Each day from ``first`` for ``days`` days, from one counting query."""
    dates = [first + timedelta(days=i) for i in range(days)]
    counts = desk.counts_by_day(first, days, resource_id)
    today = desk.today()
    resources = 1 if resource_id is not None else max(1, len(desk.repository.resources()))
    return {
        d: DayAvailability(d, len(desk.schedule.slots_on(d)) * resources, counts[d], d < today)
        for d in dates
    }
