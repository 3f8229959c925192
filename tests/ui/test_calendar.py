"""The availability calendar: each day's shade, and one counting query per page."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, QLocale, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QCalendarWidget, QTableView, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui.availability import DayState
from timesyncer_gui.desk import Desk
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.domain.hours import OpeningHours
from timesyncer_gui.domain.models import BookingRequest
from timesyncer_gui.domain.schedule import Schedule
from timesyncer_gui.settings import Settings
from timesyncer_gui.storage import sqlite_path
from timesyncer_gui.ui.calendar import AvailabilityCalendar, CalendarLegend, write_date
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


# -- how the days look -------------------------------------------------------------------


def cell_image(calendar: AvailabilityCalendar, day: date) -> QImage:
    """The pixels of ``day``'s cell as painted on the current page (Qt's own layout rules:
    a page starts on the week day before the 1st, a whole week earlier if the 1st is that
    day; the day names are drawn above the cells, by the calendar's weekday strip)."""
    first = date(calendar.yearShown(), calendar.monthShown(), 1)
    offset = (first.weekday() - (calendar.firstDayOfWeek().value - 1)) % 7 or 7
    shown = (day - (first - timedelta(days=offset))).days
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    assert view is not None
    rect = view.visualRect(view.model().index(shown // 7, shown % 7))
    return view.viewport().grab(rect).toImage()


def colours(image: QImage) -> Counter[tuple[int, int, int]]:
    return Counter(
        image.pixelColor(x, y).getRgb()[:3]
        for x in range(image.width())
        for y in range(image.height())
    )


def greenish(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return g > r + 60 and g > b + 40


def reddish(rgb: tuple[int, int, int]) -> bool:
    r, g, b = rgb
    return r > g + 80 and r > b + 80


def written_plainly(calendar: AvailabilityCalendar, day: date) -> bool:
    """Qt writes ``day`` itself, in the plain format the calendar gives weekend dates."""
    brush = calendar.dateTextFormat(QDate(day.year, day.month, day.day)).foreground()
    text = calendar.palette().color(QPalette.ColorRole.Text)
    return brush.style() != Qt.BrushStyle.NoBrush and brush.color() == text


def test_weekends_are_not_written_in_red(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    calendar = window.desk_page.calendar
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    calendar.setCurrentPage(2027, 1)
    # Once the calendar has painted, its weekend dates have a plain format: Qt writes them
    # as the others, with its focus frame when the keyboard is on one.
    qtbot.waitUntil(lambda: written_plainly(calendar, date(2027, 1, 9)))
    # Saturday 9 January 2027 is open and free: a green shade, its number not red.
    saturday = colours(cell_image(calendar, date(2027, 1, 9)))
    assert any(greenish(c) for c in saturday)
    assert not any(reddish(c) for c in saturday)
    # The day names above the columns, Monday first; "Sat" over Saturday's column, not red.
    strip = calendar.weekdays
    locale = calendar.locale()
    assert strip.isVisible()
    assert strip.names() == [locale.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8)]
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    assert view is not None
    column = view.visualRect(view.model().index(0, 5))
    left = view.viewport().mapTo(calendar, column.topLeft()).x() - strip.x()
    heading = colours(strip.grab(QRect(left, 0, column.width(), strip.height())).toImage())
    background = heading.most_common(1)[0][0]
    assert any(sum(c) < sum(background) - 300 for c in heading)  # the name is written there
    assert not any(reddish(c) for c in heading)
    # A change of scheme (light to dark) re-colours the weekend dates with the new text colour.
    dark = calendar.palette()
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    calendar.setPalette(dark)
    assert written_plainly(calendar, date(2027, 1, 9))
    saturday = colours(cell_image(calendar, date(2027, 1, 9)))
    assert any(min(c) > 140 for c in saturday)  # light text under the day's green tint
    assert not any(reddish(c) for c in saturday)


@pytest.mark.parametrize("locale", ["en_GB", "ar_EG"])
def test_the_first_paint_writes_weekend_dates_as_qt_writes_them_after(
    qtbot: QtBot, make_window: MakeWindow, locale: str
) -> None:
    """Until the calendar has painted, it writes weekend dates itself (a text format would
    cost start-up 4 ms); Qt then writes them, and the cell does not change by a pixel."""
    calendar = AvailabilityCalendar(make_window().desk)
    qtbot.addWidget(calendar)
    calendar.setLocale(QLocale(locale))  # Arabic: the locale's own digits
    calendar.resize(calendar.sizeHint())
    calendar.setCurrentPage(2027, 1)  # open Saturdays, nothing booked: no red anywhere
    saturday = date(2027, 1, 9)
    assert not written_plainly(calendar, saturday)
    first = calendar.grab().toImage()  # the first paint: the calendar writes the weekends
    assert not any(reddish(c) for c in colours(first))
    qtbot.waitUntil(lambda: written_plainly(calendar, saturday))
    assert calendar.grab().toImage() == first  # now Qt writes them


@pytest.mark.parametrize("size", [(60, 50), (61, 51), (45, 33), (70, 47)])
def test_a_weekend_date_is_written_exactly_as_qt_writes_a_weekday(
    qtbot: QtBot, size: tuple[int, int]
) -> None:
    """For its first paint the calendar writes weekend dates itself (Qt writes them red):
    pixel for pixel as Qt writes Wednesday's, at any cell size."""
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setSelectedDate(QDate(2027, 1, 20))
    images = []
    for write in (
        lambda painter, rect: QCalendarWidget.paintCell(
            calendar, painter, rect, QDate(2027, 1, 13)
        ),
        lambda painter, rect: write_date(painter, rect, "13"),
    ):
        image = QImage(*size, QImage.Format.Format_ARGB32)
        image.fill(calendar.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        painter.setFont(calendar.font())  # as the view's painter starts
        painter.setPen(calendar.palette().color(QPalette.ColorRole.Text))
        write(painter, QRect(0, 0, *size))
        painter.end()
        images.append(image)
    assert colours(images[0]) != colours(QImage(images[0].size(), images[0].format()))
    assert images[0] == images[1]


def test_today_counts_only_the_slots_still_to_come(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    """A receptionist looking at today wants to know what can still be booked: at noon the
    morning no longer counts, and once the last slot has begun the day shows as over."""
    window = make_window()
    desk, calendar = window.desk, window.desk_page.calendar
    slots = desk.schedule.slots_on(MONDAY)  # 09:00-17:00 in London, sixteen half hours
    clock.set(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))  # noon: ten slots left
    gone, left = slots[2], slots[6:]
    # The desk refuses a start in the past; a booking made earlier went through it then.
    desk.repository.book(BookingRequest("Ana", "ana@example.com", gone.start, gone.end))
    desk.book(name="Ben", email="ben@example.com", start=left[0].start)
    window.refresh_all()
    today = calendar.day_info(MONDAY)
    assert today is not None and not today.past
    assert (today.state, today.describe()) == (DayState.PARTLY, "1 of 10 slots booked")
    for index, slot in enumerate(left[1:]):
        desk.book(name=f"Customer {index}", email=f"c{index}@example.com", start=slot.start)
    window.refresh_all()
    assert calendar.day_info(MONDAY).state is DayState.FULL  # type: ignore[union-attr]
    # The whole week is still counted in one query, with today's morning left out.
    assert desk.counts_by_day(MONDAY, 7, 1, since=left[0].start)[MONDAY] == len(left)
    assert desk.counts_by_day(MONDAY, 7, 1)[MONDAY] == len(left) + 1
    midnight = desk.local_midnight(MONDAY + timedelta(days=1))  # no day is cut at a midnight
    assert desk.counts_by_day(MONDAY, 7, 1, since=midnight) == desk.counts_by_day(MONDAY, 7, 1)

    clock.set(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))  # closing time has passed
    window.refresh_all()
    over = calendar.day_info(MONDAY)
    assert over is not None and over.past  # dimmed as the days before it, not shown free
    assert not any(greenish(c) for c in colours(cell_image(calendar, MONDAY)))
    clock.set(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))  # a Sunday, closed all day
    window.refresh_all()
    sunday = calendar.day_info(date(2026, 12, 6))
    assert sunday is not None and sunday.state is DayState.CLOSED and not sunday.past


def test_the_day_keeps_up_with_the_clock_without_anyone_clicking(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window left open all day: when a slot begins, the one before reads Past and today's
    shade counts one slot fewer, with no change in the database to trigger it; at midnight
    the desk shows the new today. Between those moments the poll reloads nothing."""
    window = make_window()
    window.poll_timer.stop()  # polled by hand below, as its timer would each second
    page = window.desk_page
    model, calendar = page.day_view.day_model, page.calendar
    reloads: list[datetime] = []
    reload = page.refresh
    monkeypatch.setattr(page, "refresh", lambda: (reloads.append(clock.now()), reload()))

    def poll_at(*moment: int) -> list[str]:
        clock.set(datetime(*moment, tzinfo=UTC))  # type: ignore[misc]
        window.poll_changes()
        return [model.index(row, 1).data() for row in range(3)]

    assert poll_at(2026, 11, 30, 8, 59) == ["Free", "Free", "Free"]
    assert reloads == []  # nothing has begun: nothing reloaded
    page.day_view.selectRow(2)  # 10:00, and the receptionist starts typing
    page.form.name_edit.setText("Ana Lima")
    assert poll_at(2026, 11, 30, 9, 30) == ["Past", "Free", "Free"]  # 09:30 may still be booked
    assert poll_at(2026, 11, 30, 9, 30) == ["Past", "Free", "Free"]
    assert len(reloads) == 1
    assert poll_at(2026, 11, 30, 9, 30, 1) == ["Past", "Past", "Free"]
    assert calendar.day_info(MONDAY).describe() == "0 of 14 slots booked"  # type: ignore[union-attr]
    assert len(reloads) == 2
    # The slot being filled in begins: what was typed stays, and the form says why not.
    assert poll_at(2026, 11, 30, 10, 0, 1) == ["Past", "Past", "Past"]
    assert page.form.name_edit.text() == "Ana Lima"
    assert page.form.error_text("start") == (
        "10:00–10:30 has begun, so it cannot be booked. Choose a later slot."
    )
    assert not page.form.book_button.isEnabled()
    page.form.submit()  # Enter in the form: still the reason, not a generic one
    assert "10:00–10:30 has begun" in page.form.error_text("start")
    # A clock set back is followed too (a test's, or a computer's after a correction).
    assert poll_at(2026, 11, 30, 8, 0) == ["Free", "Free", "Free"]
    # Midnight: Tuesday is today, and the desk that showed Monday shows Tuesday.
    poll_at(2026, 12, 1, 0, 0, 1)
    assert calendar.day_info(MONDAY).past  # type: ignore[union-attr]
    assert calendar.selected_day() == MONDAY + timedelta(days=1)


def test_the_next_turn_is_a_slot_start_or_midnight_in_the_desks_zone(
    make_window: MakeWindow,
) -> None:
    """In New York, five hours behind UTC in winter: the desk's own slots and midnight."""
    desk = make_window().desk
    new_york = Desk(
        desk.repository,
        Schedule(ZoneInfo("America/New_York"), OpeningHours.parse("mon-fri 09:00-17:00")),
        desk.clock,
    )
    at = lambda *moment: datetime(*moment, tzinfo=UTC)  # noqa: E731
    assert new_york.next_turn(at(2026, 11, 30, 21, 15)) == at(2026, 11, 30, 21, 30)  # 16:30
    assert new_york.next_turn(at(2026, 11, 30, 21, 30)) == at(2026, 11, 30, 21, 30)
    assert new_york.next_turn(at(2026, 11, 30, 21, 45)) == at(2026, 12, 1, 5, 0)  # midnight
    assert new_york.next_turn(at(2026, 12, 5, 15, 0)) == at(2026, 12, 6, 5, 0)  # closed Saturday


def test_past_days_show_no_availability(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    calendar = window.desk_page.calendar
    fill(window, MONDAY, 3)  # today, partly booked: still shaded
    window.refresh_all()

    def marked(day: date) -> float:
        """The share of the cell that is not plain white: shading, hatching or the date."""
        image = cell_image(calendar, day)
        return 1 - colours(image)[(255, 255, 255)] / (image.width() * image.height())

    friday_gone, sunday_gone = MONDAY - timedelta(days=3), MONDAY - timedelta(days=1)
    assert calendar.day_info(friday_gone).state is DayState.FREE  # type: ignore[union-attr]
    assert calendar.day_info(sunday_gone).state is DayState.CLOSED  # type: ignore[union-attr]
    # Only the date is drawn on a past day: no tint, no strip, no hatching.
    assert marked(friday_gone) < 0.05 and marked(sunday_gone) < 0.05
    assert marked(MONDAY) > 0.5  # today, partly booked
    assert marked(MONDAY + timedelta(days=1)) > 0.5  # free tomorrow
    assert marked(MONDAY + timedelta(days=6)) > 0.1  # a closed Sunday ahead, hatched


def test_the_legend_draws_each_state_as_the_calendar_does(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    calendar = window.desk_page.calendar
    legend = window.desk_page.findChild(CalendarLegend)
    assert legend is not None
    swatches = {s.state: s for s in legend.swatches}
    assert [s.accessibleName() for s in legend.swatches] == [
        "Free",
        "Partly booked",
        "Full",
        "Closed",
    ]
    for swatch in legend.swatches:
        assert swatch.styleSheet() == ""  # painted, not styled

    def shade(image: QImage) -> tuple[int, int, int]:
        """The commonest colour other than the cell's white: its tint or its hatching."""
        return next(c for c, _n in colours(image).most_common() if c != (255, 255, 255))

    closed_swatch = colours(swatches[DayState.CLOSED].grab().toImage())
    closed_day = cell_image(calendar, MONDAY + timedelta(days=6))  # Sunday 6 December
    assert shade(closed_day) in closed_swatch  # the same hatching, not a plain grey box
    assert closed_swatch[(255, 255, 255)] > 0  # with gaps between its lines
    free_swatch = colours(swatches[DayState.FREE].grab().toImage())
    free_day = cell_image(calendar, MONDAY + timedelta(days=3))
    assert shade(free_day) in free_swatch and any(greenish(c) for c in free_swatch)


def test_the_calendar_grows_with_its_pane(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    page = window.desk_page
    calendar = page.calendar
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    line = calendar.fontMetrics().height()
    assert view.rowHeight(3) >= 2.5 * line  # a week row is a cell to aim at, not a text line
    strip = calendar.weekdays
    assert line <= strip.height() < view.rowHeight(3)  # the day names keep to one line
    assert view.rowHeight(0) == view.rowHeight(3)  # the six weeks share the rest evenly
    assert strip.geometry().bottom() < view.geometry().top()  # names above the days
    # Its height follows the pane's width (up to cells four lines tall), so a narrower pane
    # gives a shorter calendar rather than squashed cells or a gap inside it.
    before = calendar.height()
    sizes = page.splitter.sizes()
    page.splitter.setSizes([sizes[0] - 70, sizes[1] + 70, sizes[2]])
    qtbot.waitUntil(lambda: calendar.height() < before - 30, timeout=2000)
    assert view.rowHeight(3) >= 1.6 * line
    legend = page.findChild(CalendarLegend)
    assert legend is not None and legend.geometry().top() >= calendar.geometry().bottom()


# -- when the database fails -------------------------------------------------------------


def test_a_month_that_cannot_be_read_is_shown_unshaded_and_says_why(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    """Another program broke the index the counts are read through: turning to December
    shows the month without shading and tells the person; once the index is back, the
    calendar shades the months again."""
    window = make_window()
    calendar = window.desk_page.calendar
    arrow = calendar.findChild(QWidget, "qt_calendar_nextmonth")
    back = calendar.findChild(QWidget, "qt_calendar_prevmonth")
    assert arrow is not None and back is not None
    december = date(2026, 12, 3)
    qtbot.waitUntil(lambda: written_plainly(calendar, date(2026, 11, 28)))  # it has painted
    other = sqlite3.connect(sqlite_path(settings.db_url), isolation_level=None)
    try:
        (index,) = other.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'bookings_active_slot'"
        ).fetchone()
        other.execute("DROP INDEX bookings_active_slot")
        with qtbot.waitSignal(calendar.status) as told:
            qtbot.mouseClick(arrow, Qt.MouseButton.LeftButton)
        assert (calendar.yearShown(), calendar.monthShown()) == (2026, 12)
        reason = told.args[0]
        assert reason.startswith("Could not show the availability for December 2026: ")
        assert "no such index: bookings_active_slot" in reason
        assert window.statusBar().currentMessage() == reason  # said where the desk says things
        # No counts of November's page are left on December's days.
        assert calendar.day_info(december) is None
        assert calendar.day_info(MONDAY) is None
        assert not any(greenish(c) for c in colours(cell_image(calendar, december)))
        # Nor is a weekend written in red, which would read "full".
        assert not any(reddish(c) for c in colours(cell_image(calendar, date(2026, 12, 19))))
        assert calendar.toolTip().startswith("Availability could not be read: ")
        # The day's slots are read another way and still show.
        assert window.desk_page.day_view.day_model.index(0, 1).data() == "Free"
        other.execute(index)
    finally:
        other.close()
    qtbot.mouseClick(arrow, Qt.MouseButton.LeftButton)
    assert (calendar.yearShown(), calendar.monthShown()) == (2027, 1)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert calendar.day_info(december).state is DayState.FREE  # type: ignore[union-attr]
    assert any(greenish(c) for c in colours(cell_image(calendar, december)))
    assert not calendar.toolTip().startswith("Availability could not be read")
