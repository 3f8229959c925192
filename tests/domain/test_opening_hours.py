"""Opening hours as an admin writes them, and what is wrong when they are written badly."""

from __future__ import annotations

import pytest

from timesyncer_gui.domain.hours import OpeningHours


def minutes(hours: OpeningHours, weekday: int) -> list[tuple[int, int]]:
    return [(r.opens_minute, r.closes_minute) for r in hours.ranges_on(weekday)]


def test_weekdays_and_saturday_morning() -> None:
    hours = OpeningHours.parse("mon-fri 09:00-17:00; sat 10:00-13:00")
    for weekday in range(5):
        assert minutes(hours, weekday) == [(540, 1020)]
    assert minutes(hours, 5) == [(600, 780)]
    assert not hours.is_open_on(6)


def test_a_lunch_break_is_two_ranges_in_order() -> None:
    hours = OpeningHours.parse("mon 13:00-17:00,09:00-12:00")
    assert minutes(hours, 0) == [(540, 720), (780, 1020)]


def test_day_ranges_wrap_round_the_week_and_24_00_closes_at_midnight() -> None:
    hours = OpeningHours.parse("fri-mon 20:00-24:00")
    assert [hours.is_open_on(d) for d in range(7)] == [True, False, False, False, True, True, True]
    assert minutes(hours, 4) == [(1200, 1440)]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("funday 09:00-17:00", "'funday' is not a day"),
        ("mon 25:00-26:00", "has a time that does not exist"),
        ("mon 09:60-17:00", "has a time that does not exist"),
        ("mon 17:00-09:00", "closes before it opens"),
        ("mon 09:00-12:00,11:00-13:00", "overlap"),
        ("mon-fri 09:00-17:00; wed 10:00-12:00", "'wed' is listed more than once"),
        ("", "no opening days are listed"),
        ("mon-fri", "should be days then times"),
        ("mon 9-5", "is not a time range"),
    ],
)
def test_bad_hours_say_what_is_wrong(text: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        OpeningHours.parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "mon-fri 09:00-17:00; sat 10:00-13:00",
        "mon 09:00-12:00,13:00-17:00; tue-wed 09:00-17:00; fri-sun 08:00-09:00",
        "sun 00:00-24:00",
    ],
)
def test_spec_round_trips(text: str) -> None:
    hours = OpeningHours.parse(text)
    assert OpeningHours.parse(hours.spec()) == hours
    assert hours.spec() == text


@pytest.mark.parametrize(
    ("text", "readable"),
    [
        ("mon-fri 09:00-17:00", "Mon–Fri 09:00–17:00"),
        ("mon-fri 09:00-17:00; sat 10:00-13:00", "Mon–Fri 09:00–17:00; Sat 10:00–13:00"),
        (
            "mon,wed 09:00-12:00,13:00-17:00; tue,thu-fri 10:00-16:00",
            "Mon, Wed 09:00–12:00, 13:00–17:00; Tue, Thu–Fri 10:00–16:00",
        ),
        ("sat-mon 08:00-09:00", "Mon, Sat–Sun 08:00–09:00"),
        ("sun 00:00-24:00", "Sun 00:00–24:00"),
    ],
)
def test_describe_reads_as_a_sign_on_the_door(text: str, readable: str) -> None:
    assert OpeningHours.parse(text).describe() == readable
