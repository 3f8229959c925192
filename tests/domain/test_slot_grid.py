"""The slot grid in the desk's zone, including the days the clocks change, and start checks."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from timesyncer_gui import ValidationError
from timesyncer_gui.domain.hours import OpeningHours
from timesyncer_gui.domain.schedule import Schedule

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = OpeningHours.parse("mon-fri 09:00-17:00; sat 10:00-13:00")
ALWAYS = OpeningHours.parse("mon-sun 00:00-24:00")
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday morning


def labels(schedule: Schedule, day: date) -> list[str]:
    return [f"{schedule.local(s.start):%H:%M}" for s in schedule.slots_on(day)]


def test_a_normal_day_has_sixteen_half_hours() -> None:
    schedule = Schedule(LONDON, WEEKDAYS, 30)
    assert labels(schedule, date(2026, 11, 30))[:3] == ["09:00", "09:30", "10:00"]
    assert len(schedule.slots_on(date(2026, 11, 30))) == 16
    assert labels(schedule, date(2026, 12, 5)) == [
        "10:00",
        "10:30",
        "11:00",
        "11:30",
        "12:00",
        "12:30",
    ]
    assert schedule.slots_on(date(2026, 12, 6)) == []  # Sunday: closed


def test_a_slot_length_that_does_not_divide_the_day_stops_before_closing() -> None:
    schedule = Schedule(LONDON, WEEKDAYS, 45)
    assert labels(schedule, date(2026, 11, 30))[-1] == "15:45"  # 15:45-16:30; 16:30 would overrun
    assert all(
        s.end <= datetime(2026, 11, 30, 17, tzinfo=UTC)
        for s in schedule.slots_on(date(2026, 11, 30))
    )


@pytest.mark.parametrize(
    ("zone", "day", "count"),
    [
        (LONDON, date(2026, 3, 29), 46),  # clocks go forward: a 23-hour day
        (LONDON, date(2026, 10, 25), 50),  # clocks go back: a 25-hour day
        (LONDON, date(2026, 6, 1), 48),
        (NEW_YORK, date(2026, 3, 8), 46),
        (NEW_YORK, date(2026, 11, 1), 50),
    ],
)
def test_days_when_the_clocks_change_have_the_time_they_really_have(
    zone: ZoneInfo, day: date, count: int
) -> None:
    schedule = Schedule(zone, ALWAYS, 30)
    slots = schedule.slots_on(day)
    assert len(slots) == count
    for slot in slots:
        assert slot.end - slot.start == timedelta(minutes=30)
    for earlier, later in itertools.pairwise(slots):
        assert earlier.end == later.start


def test_local_times_map_to_the_right_utc_instants_either_side_of_a_change() -> None:
    schedule = Schedule(LONDON, WEEKDAYS, 30)
    before = schedule.slots_on(date(2026, 3, 27))[0]  # Friday, still GMT
    after = schedule.slots_on(date(2026, 3, 30))[0]  # Monday, now BST
    assert before.start == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
    assert after.start == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert f"{schedule.local(after.start):%H:%M %Z}" == "09:00 BST"


def check(schedule: Schedule, start: datetime) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        schedule.check_start(start, NOW)
    assert caught.value.field == "start"
    return caught.value


def test_a_valid_start_returns_its_slot() -> None:
    schedule = Schedule(LONDON, WEEKDAYS, 30)
    slot = schedule.check_start(datetime(2026, 11, 30, 9, 30, tzinfo=UTC), NOW)
    assert slot.end == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    # The same instant given in another zone is the same slot.
    same = schedule.check_start(datetime(2026, 11, 30, 4, 30, tzinfo=NEW_YORK), NOW)
    assert same == slot


def test_a_start_in_the_past_is_refused() -> None:
    error = check(Schedule(LONDON, WEEKDAYS, 30), datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    assert (
        error.message == "10:00 on Friday 27 November 2026 has already passed. Pick a later slot."
    )


def test_a_start_off_the_grid_is_refused_saying_when_slots_start() -> None:
    error = check(Schedule(LONDON, WEEKDAYS, 30), datetime(2026, 11, 30, 9, 10, tzinfo=UTC))
    assert error.message == (
        "09:10 is not a slot start. On Monday slots start every 30 minutes from 09:00 to 16:30."
    )


def test_a_start_outside_opening_hours_is_refused_naming_the_hours() -> None:
    error = check(Schedule(LONDON, WEEKDAYS, 30), datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
    assert error.message == (
        "The desk is not open at 18:00 on Monday 30 November 2026. "
        "Opening hours that day: 09:00–17:00."
    )


def test_a_start_on_a_closed_day_is_refused() -> None:
    error = check(Schedule(LONDON, WEEKDAYS, 30), datetime(2026, 12, 6, 10, 0, tzinfo=UTC))
    assert error.message == "The desk is closed on Sundays."


def test_a_naive_start_is_refused() -> None:
    error = check(Schedule(LONDON, WEEKDAYS, 30), datetime(2026, 11, 30, 9, 0))
    assert "time zone" in error.message
