"""The slot grid of a day in the desk's time zone, and the checks a booking's start must pass.

Slots are laid in real elapsed time from each opening instant, so a day on which the clocks
change has as many slots as it really has time (a 00:00-24:00 desk gets 50 half-hours on the
autumn day and 46 on the spring day), and every slot's instants are exact in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .errors import ValidationError
from .hours import DAY_TITLES, OpeningHours


class Slot(NamedTuple):
    """One bookable interval [start, end), in UTC."""

    start: datetime
    end: datetime


class Schedule(NamedTuple):
    """Opening hours, slot length and time zone: everything that says when a booking may start."""

    timezone: ZoneInfo
    hours: OpeningHours
    slot_minutes: int = 30

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    def local(self, instant: datetime) -> datetime:
        """``instant`` on the desk's wall clock."""
        return instant.astimezone(self.timezone)

    def slots_on(self, day: date) -> list[Slot]:
        """Every slot of ``day`` (a local date), in order; empty on a closed day."""
        slots: list[Slot] = []
        length = self.slot_length
        for opening in self.hours.ranges_on(day.weekday()):
            cursor = self._instant(day, opening.opens_minute)
            closes = self._instant(day, opening.closes_minute)
            while cursor + length <= closes:
                slots.append(Slot(cursor, cursor + length))
                cursor += length
        return slots

    def check_start(self, start: datetime, now: datetime) -> Slot:
        """The slot that begins at ``start``, or a ValidationError saying why there is none."""
        if start.tzinfo is None:
            raise ValidationError("start", "The start time has no time zone.")
        start = start.astimezone(UTC)
        local = self.local(start)
        when = f"{local:%H:%M} on {local:%A %d %B %Y}"
        if start < now:
            raise ValidationError("start", f"{when} has already passed. Pick a later slot.")
        day = local.date()
        if not self.hours.is_open_on(day.weekday()):
            raise ValidationError("start", f"The desk is closed on {DAY_TITLES[day.weekday()]}.")
        slots = self.slots_on(day)
        for slot in slots:
            if slot.start == start:
                return slot
        hours = ", ".join(r.label() for r in self.hours.ranges_on(day.weekday()))
        inside = any(
            self._instant(day, r.opens_minute) <= start < self._instant(day, r.closes_minute)
            for r in self.hours.ranges_on(day.weekday())
        )
        if inside and slots:
            first, last = self.local(slots[0].start), self.local(slots[-1].start)
            raise ValidationError(
                "start",
                f"{local:%H:%M} is not a slot start. On {local:%A} slots start every "
                f"{self.slot_minutes} minutes from {first:%H:%M} to {last:%H:%M}.",
            )
        raise ValidationError(
            "start", f"The desk is not open at {when}. Opening hours that day: {hours}."
        )

    def _instant(self, day: date, minute: int) -> datetime:
        """The UTC instant of ``minute`` after local midnight on ``day`` (24:00 is next day)."""
        extra_days, minute = divmod(minute, 24 * 60)
        wall = datetime.combine(day + timedelta(days=extra_days), time(minute // 60, minute % 60))
        return wall.replace(tzinfo=self.timezone).astimezone(UTC)
