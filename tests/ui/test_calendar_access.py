"""The calendar for someone using the keyboard, a screen reader or the mouse's tooltips: every
control it has says what it is, and what it says of the selected day is about that day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QEvent, QPoint, Qt
from PySide6.QtGui import QAccessible, QHelpEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QTableView, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui.ui.calendar import AvailabilityCalendar
from timesyncer_gui.ui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces, as Qt's accessibility layer reports it."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def part(calendar: AvailabilityCalendar, name: str) -> QWidget:
    widget = calendar.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def grid(calendar: AvailabilityCalendar) -> QTableView:
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    assert view is not None
    return view


def cell_centre(calendar: AvailabilityCalendar, day: date) -> QPoint:
    """Where ``day`` is on the page shown, in the grid's viewport (Monday first, no header)."""
    first = date(calendar.yearShown(), calendar.monthShown(), 1)
    shown = (day - first).days + (first.weekday() or 7)  # a page starts up to a week before
    view = grid(calendar)
    return view.visualRect(view.model().index(shown // 7, shown % 7)).center()


def hover_tooltip(calendar: AvailabilityCalendar, day: date) -> str:
    """The tooltip that opens when the mouse rests on ``day``'s cell."""
    viewport = grid(calendar).viewport()
    pos = cell_centre(calendar, day)
    QApplication.sendEvent(
        viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos))
    )
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_every_control_of_the_calendar_has_a_name_a_screen_reader_can_say(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    calendar = make_window().desk_page.calendar
    # The grid of days is what the keyboard lands on.
    calendar.setFocus()
    focused = QApplication.focusWidget()
    assert focused is grid(calendar)
    assert spoken_name(focused) == "Calendar"
    # The arrows show only an icon: they are named, and their tooltip says, what they do.
    previous = part(calendar, "qt_calendar_prevmonth")
    following = part(calendar, "qt_calendar_nextmonth")
    qtbot.waitUntil(lambda: spoken_name(following) == "Next month", timeout=2000)
    assert spoken_name(previous) == "Previous month"
    assert (previous.toolTip(), following.toolTip()) == ("Previous month", "Next month")
    qtbot.mouseClick(following, Qt.MouseButton.LeftButton)
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 12)
    # The month and year buttons are called by what they show, and follow the page.
    for name, shown in (
        ("qt_calendar_monthbutton", "December"),
        ("qt_calendar_yearbutton", "2026"),
    ):
        button = part(calendar, name)
        assert isinstance(button, QAbstractButton) and button.text() == shown
        assert spoken_name(button) == shown
        assert button.accessibleDescription().startswith("Choose the")
    # Clicking the year opens a box to type it in: named too.
    qtbot.mouseClick(part(calendar, "qt_calendar_yearbutton"), Qt.MouseButton.LeftButton)
    year = part(calendar, "qt_calendar_yearedit")
    qtbot.waitUntil(year.isVisible, timeout=2000)
    assert QApplication.focusWidget() is year
    assert spoken_name(year) == "Year"
    qtbot.keyClick(year, Qt.Key.Key_Escape)
    # Whatever else in the calendar can take the focus has a name as well.
    nameless = [
        w.objectName()
        for w in calendar.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isVisibleTo(calendar)
        and not spoken_name(w)
    ]
    assert nameless == []


def test_what_the_calendar_says_of_the_day_is_about_the_selected_day(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Moving within a month reloads nothing, yet the tooltip and the grid's description
    follow the selection."""
    window = make_window()
    window.desk.book(
        name="Ana", email="ana@example.com", start=datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    )
    window.refresh_all()
    calendar = window.desk_page.calendar
    view = grid(calendar)
    tuesday, wednesday = date(2026, 12, 1), date(2026, 12, 2)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(calendar, tuesday))
    assert calendar.selected_day() == tuesday
    assert hover_tooltip(calendar, tuesday) == "Tuesday 01 December: 0 of 16 slots booked"
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert calendar.selected_day() == wednesday
    said = "Wednesday 02 December: 1 of 16 slots booked"
    assert hover_tooltip(calendar, wednesday) == said
    assert view.accessibleDescription() == said
    # A day gone by is dimmed, not shaded: nothing there can be booked, and it says so.
    friday = date(2026, 11, 27)
    calendar.setCurrentPage(2026, 11)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell_centre(calendar, friday))
    assert calendar.selected_day() == friday
    assert hover_tooltip(calendar, friday) == "Friday 27 November: past, cannot be booked"
    assert view.accessibleDescription() == "Friday 27 November: past, cannot be booked"


def test_the_tooltip_over_a_day_describes_that_day_not_the_selected_one(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    window.desk.book(
        name="Ana", email="ana@example.com", start=datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    )
    window.refresh_all()
    calendar = window.desk_page.calendar
    calendar.setSelectedDate(QDate(2026, 12, 1))
    wednesday = "Wednesday 02 December: 1 of 16 slots booked"
    qtbot.waitUntil(lambda: hover_tooltip(calendar, date(2026, 12, 2)) == wednesday)
    assert calendar.selected_day() == date(2026, 12, 1)
    # The cells of the months either side are days too: the 1st of January, a Friday.
    assert hover_tooltip(calendar, date(2027, 1, 1)) == "Friday 01 January: 0 of 16 slots booked"


def test_each_cell_is_the_day_it_shows_in_every_layout_of_a_month(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """Months starting on each day of the week, February 2027 starting on a Monday among
    them: the day a cell's tooltip describes is the day written in it."""
    calendar = make_window().desk_page.calendar
    view = grid(calendar)
    for month in range(1, 13):
        calendar.setCurrentPage(2027, month)
        for row in range(6):
            for column in range(7):
                day = calendar.day_at_cell(row, column)
                assert day is not None
                written = view.model().index(row, column).data()
                assert str(day.day) == str(written), (month, row, column)


def test_the_calendar_stays_within_years_it_can_show(qtbot: QtBot, make_window: MakeWindow) -> None:
    calendar = make_window().desk_page.calendar
    assert (calendar.minimumDate().year(), calendar.maximumDate().year()) == (2000, 2099)
    # Even set from code past the range, the page comes back within it, and is painted and
    # hovered without an error (pytest-qt fails the test on an exception in a Qt override).
    calendar.setCurrentPage(9999, 12)
    assert (calendar.yearShown(), calendar.monthShown()) == (2099, 12)
    calendar.grab()
    assert hover_tooltip(calendar, date(2099, 12, 31)).startswith("Thursday 31 December")
    calendar.setCurrentPage(1, 1)
    assert calendar.yearShown() == 2000
    calendar.grab()
