"""The availability calendar: each day's shade, and one counting query per page."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from timesyncer_gui.availability import DayState
from timesyncer_gui.ui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]
MONDAY = date(2026, 11, 30)


def fill(window: MainWindow, day: date, count: int) -> None:
    slots = window.desk.schedule.slots_on(day)
    for index, slot in enumerate(slots[:count]):
        window.desk.book(name=f"Customer {index}", email=f"c{index}@example.com", start=slot.start)


def test_days_are_shaded_closed_free_partly_or_full(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    fill(window, MONDAY + timedelta(days=1), 3)  # Tuesday: partly booked
    fill(window, MONDAY + timedelta(days=2), 16)  # Wednesday: every slot
    window.refresh_all()
    calendar = window.desk_page.calendar
    calendar.setCurrentPage(2026, 12)
    states = {
        d: calendar.day_info(d).state
        for d in (  # type: ignore[union-attr]
            MONDAY + timedelta(days=1),
            MONDAY + timedelta(days=2),
            MONDAY + timedelta(days=3),
            MONDAY + timedelta(days=6),
        )
    }
    assert states == {
        MONDAY + timedelta(days=1): DayState.PARTLY,
        MONDAY + timedelta(days=2): DayState.FULL,
        MONDAY + timedelta(days=3): DayState.FREE,
        MONDAY + timedelta(days=6): DayState.CLOSED,  # Sunday
    }
    info = calendar.day_info(MONDAY + timedelta(days=1))
    assert info is not None and info.describe() == "3 of 16 slots booked"
    past = calendar.day_info(MONDAY - timedelta(days=1))
    assert past is not None and past.past


def test_a_new_month_costs_one_counting_query(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    calendar = window.desk_page.calendar
    conn: sqlite3.Connection = window.desk.repository._conn  # type: ignore[attr-defined]
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        calendar.setCurrentPage(2027, 3)
        calendar.setCurrentPage(2027, 4)
    finally:
        conn.set_trace_callback(None)
    counting = [s for s in statements if "count(*)" in s]
    assert len(counting) == 2  # one per page shown, however many days it has
    assert all(s.count("(") > 40 for s in counting)  # each counts every visible day at once


def test_choosing_a_day_in_the_calendar_shows_its_slots(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    window.desk.book(
        name="Ana", email="ana@example.com", start=datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    )
    window.refresh_all()
    calendar = window.desk_page.calendar
    calendar.setSelectedDate(QDate(2026, 12, 2))
    page = window.desk_page
    assert page.day_title.text() == "Wednesday 02 December 2026"
    assert page.day_view.day_model.index(2, 1).data() == "Ana"
