"""Opening hours: which weekdays the desk opens, and from when to when (local wall time).

Parsed from a short text such as ``mon-fri 09:00-17:00; sat 10:00-13:00``; a day may have
several ranges (``mon 09:00-12:00,13:00-17:00``). Days not listed are closed.
"""

from __future__ import annotations

import itertools
import re
from datetime import time
from typing import NamedTuple

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_TITLES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")

_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


class OpenRange(NamedTuple):
    """One opening range on a day, in minutes after local midnight; it may close at 24:00."""

    opens_minute: int
    closes_minute: int

    @property
    def opens(self) -> time:
        return time(self.opens_minute // 60, self.opens_minute % 60)

    def label(self) -> str:
        return f"{_fmt(self.opens_minute)}–{_fmt(self.closes_minute)}"


class OpeningHours(NamedTuple):
    """The ranges for each weekday, Monday first; an empty tuple means closed."""

    days: tuple[tuple[OpenRange, ...], ...]

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        """Read ``mon-fri 09:00-17:00; sat 10:00-13:00``; raise ValueError saying what is wrong."""
        days: list[tuple[OpenRange, ...] | None] = [None] * 7
        entries = [part.strip() for part in text.split(";") if part.strip()]
        if not entries:
            raise ValueError("no opening days are listed")
        for entry in entries:
            pieces = entry.split()
            if len(pieces) != 2:
                raise ValueError(f"'{entry}' should be days then times, like 'mon-fri 09:00-17:00'")
            day_spec, range_spec = pieces
            ranges = tuple(sorted(_parse_range(r) for r in range_spec.split(",")))
            for earlier, later in itertools.pairwise(ranges):
                if later.opens_minute < earlier.closes_minute:
                    raise ValueError(f"the ranges in '{entry}' overlap")
            for day in _parse_days(day_spec):
                if days[day] is not None:
                    raise ValueError(f"'{DAY_NAMES[day]}' is listed more than once")
                days[day] = ranges
        return cls(tuple(d or () for d in days))

    def ranges_on(self, weekday: int) -> tuple[OpenRange, ...]:
        """The ranges for ``weekday`` (0 is Monday, as ``date.weekday()``)."""
        return self.days[weekday]

    def is_open_on(self, weekday: int) -> bool:
        return bool(self.days[weekday])

    def describe(self) -> str:
        """For people: ``Mon–Fri 09:00–17:00; Sat 10:00–13:00``, days with the same hours
        together (``Mon, Wed 09:00–12:00, 13:00–17:00``)."""
        groups: dict[tuple[OpenRange, ...], list[int]] = {}
        for day, ranges in enumerate(self.days):
            if ranges:
                groups.setdefault(ranges, []).append(day)
        return "; ".join(
            f"{_day_runs(days)} {', '.join(r.label() for r in ranges)}"
            for ranges, days in groups.items()
        )

    def spec(self) -> str:
        """The hours written back in the form they are configured in, runs of days joined."""
        parts = []
        index = 0
        while index < 7:
            ranges = self.days[index]
            last = index
            while last + 1 < 7 and self.days[last + 1] == ranges:
                last += 1
            if ranges:
                days = (
                    DAY_NAMES[index] if last == index else f"{DAY_NAMES[index]}-{DAY_NAMES[last]}"
                )
                parts.append(f"{days} {','.join(_spec(r) for r in ranges)}")
            index = last + 1
        return "; ".join(parts)


def _day_runs(days: list[int]) -> str:
    """``Mon–Fri``, ``Mon, Wed`` or ``Mon–Tue, Thu``: the days in order, runs joined."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_SHORT[run[0]] if len(run) == 1 else f"{DAY_SHORT[run[0]]}–{DAY_SHORT[run[-1]]}"
        for run in runs
    )


def _fmt(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _spec(r: OpenRange) -> str:
    return f"{_fmt(r.opens_minute)}-{_fmt(r.closes_minute)}"


def _parse_days(spec: str) -> list[int]:
    result: list[int] = []
    for token in spec.lower().split(","):
        if "-" in token:
            first, _, last = token.partition("-")
            a, b = _day_index(first), _day_index(last)
            span = (b - a) % 7
            result.extend((a + i) % 7 for i in range(span + 1))
        else:
            result.append(_day_index(token))
    return result


def _day_index(token: str) -> int:
    key = token.strip()[:3]
    if key not in DAY_NAMES or len(token.strip()) < 3:
        raise ValueError(f"'{token}' is not a day; use mon, tue, wed, thu, fri, sat or sun")
    return DAY_NAMES.index(key)


def _parse_range(spec: str) -> OpenRange:
    match = _RANGE.match(spec.strip())
    if not match:
        raise ValueError(f"'{spec}' is not a time range; write it like 09:00-17:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2 != 0):
        raise ValueError(f"'{spec}' has a time that does not exist")
    opens, closes = h1 * 60 + m1, h2 * 60 + m2
    if closes <= opens:
        raise ValueError(f"in '{spec}' the desk closes before it opens")
    return OpenRange(opens, closes)
