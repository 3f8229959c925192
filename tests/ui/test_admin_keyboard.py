"""The Admin tab from the keyboard: Tab through the filters, date steps, Enter on a booking."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDateEdit, QTableView, QWidget
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

from .test_admin import MakeWindow, current_customer, open_admin, seeded  # noqa: F401 (fixture)


def focused() -> str:
    widget = QApplication.focusWidget()
    return widget.accessibleName() if widget is not None else ""


def press_tab_until(qtbot: QtBot, target: QWidget, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until ``target`` has the focus; how many presses it took."""
    for presses in range(1, 16):
        widget = QApplication.focusWidget()
        assert widget is not None
        if backwards:
            qtbot.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            qtbot.keyClick(widget, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is target:
            return presses
    raise AssertionError(f"Tab never reached {target.accessibleName()}; stuck on {focused()}")


def click_arrow(qtbot: QtBot, edit: QDateEdit) -> None:
    """The pop-up calendar's arrow, at the field's right end."""
    qtbot.mouseClick(
        edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2)
    )


def test_tab_leaves_a_date_filter_that_shows_any(qtbot: QtBot, make_window: MakeWindow) -> None:
    """ "Any" has no day, month or year to step through: one Tab goes on to the next control."""
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    assert page.to_edit.text() == "Any"
    page.to_edit.setFocus()
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Tab)
    assert focused() == "All dates"  # Upcoming is what is shown, so its button is off

    qtbot.mouseClick(page.all_dates_button, Qt.MouseButton.LeftButton)
    assert page.from_edit.text() == "Any"
    page.from_edit.setFocus()
    qtbot.keyClick(page.from_edit, Qt.Key.Key_Tab)
    assert focused() == "To"
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Tab)
    assert focused() == "Upcoming"
    qtbot.keyClick(page.upcoming_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() == "To"

    # The whole row, from the search to the table, as a person tabs through it.
    page.search_edit.setFocus()
    assert press_tab_until(qtbot, page.table) <= 10


def test_a_step_from_any_starts_at_today_not_in_2000(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    page.to_edit.setFocus()
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)
    assert page.to_edit.text() == "30 Nov 2026"  # today, by the desk's clock

    qtbot.mouseClick(page.all_dates_button, Qt.MouseButton.LeftButton)
    page.from_edit.setFocus()
    qtbot.keyClick(page.from_edit, Qt.Key.Key_Down)
    assert page.from_edit.text() == "30 Nov 2026"

    # From in the future: To starts there rather than at a today that would come before it.
    qtbot.mouseClick(page.from_edit, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))  # the day
    qtbot.keyClicks(page.from_edit, "10")  # the day; the cursor moves on to the month
    qtbot.keyClick(page.from_edit, Qt.Key.Key_Up)
    assert page.from_edit.text() == "10 Dec 2026"
    page.to_edit.setFocus()
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)
    assert page.to_edit.text() == "10 Dec 2026"
    assert not page.range_message.isVisible()


def test_the_pop_up_calendar_opens_on_today_and_escape_keeps_any(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    calendar = page.to_edit.calendarWidget()
    click_arrow(qtbot, page.to_edit)
    assert calendar.isVisible()
    assert (calendar.yearShown(), calendar.monthShown()) == (2026, 11)
    assert calendar.selectedDate().toString("d MMM yyyy") == "30 Nov 2026"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not calendar.isVisible()
    assert page.to_edit.text() == "Any"  # looking is not choosing

    click_arrow(qtbot, page.to_edit)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not calendar.isVisible()
    assert page.to_edit.text() == "1 Dec 2026"


def click_text(qtbot: QtBot, edit: QDateEdit) -> None:
    """Click into the field's text, where a person's click lands: on its line edit."""
    qtbot.mouseClick(edit.lineEdit(), Qt.MouseButton.LeftButton, pos=QPoint(4, 8))


def select_all(qtbot: QtBot, edit: QDateEdit) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


def line_edit_warnings(qtlog: QtLoggingPlugin) -> list[str]:
    return [r.message for r in qtlog.records if "QLineEdit" in r.message]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize(
    "key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace], ids=["Delete", "Backspace"]
)
def test_deleting_a_whole_date_sets_that_field_alone_back_to_any(
    qtbot: QtBot, make_window: MakeWindow, qtlog: QtLoggingPlugin, key: Qt.Key
) -> None:
    """Each date can be dropped from the keyboard, and the list follows at once."""
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    click_text(qtbot, page.to_edit)
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)
    assert (page.from_edit.text(), page.to_edit.text()) == ("30 Nov 2026", "30 Nov 2026")
    assert page.summary.text() == "1 matching booking"

    click_text(qtbot, page.from_edit)
    select_all(qtbot, page.from_edit)
    qtbot.keyClick(page.from_edit, key)
    assert (page.from_edit.text(), page.to_edit.text()) == ("Any", "30 Nov 2026")
    assert page.summary.text() == "1 matching booking"  # nothing was booked before today
    qtbot.keyClick(page.from_edit, Qt.Key.Key_Tab)
    assert focused() == "To"

    select_all(qtbot, page.to_edit)
    qtbot.keyClick(page.to_edit, key)
    assert (page.from_edit.text(), page.to_edit.text()) == ("Any", "Any")
    assert page.summary.text() == "453 bookings"
    assert page.model is not None and page.model.rowCount() > 1
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Tab)
    assert focused() == "Upcoming"
    assert not line_edit_warnings(qtlog)


def test_a_date_field_left_blank_means_any_and_half_typed_gets_its_day_back(
    qtbot: QtBot, make_window: MakeWindow, qtlog: QtLoggingPlugin
) -> None:
    """Never a blank field over a table still filtered by the old day, nor one Tab cannot
    leave."""
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    click_text(qtbot, page.to_edit)
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)
    assert page.to_edit.text() == "30 Nov 2026"

    # Cut away, the date is gone: Tab leaves, and the field and the list say "Any".
    select_all(qtbot, page.to_edit)
    qtbot.keyClick(page.to_edit, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert page.to_edit.text() == ""
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Tab)
    assert focused() == "All dates"  # Upcoming is what is shown, so its button is off
    assert page.to_edit.text() == "Any"
    assert page.summary.text() == "0 upcoming bookings"

    # The day erased, then the field left: the day it had comes back.
    qtbot.keyClick(page.all_dates_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() == "To"
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)
    assert page.to_edit.text() == "30 Nov 2026"
    qtbot.mouseDClick(page.to_edit.lineEdit(), Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Backspace)  # the day, double-clicked, erased
    assert page.to_edit.text() == " Nov 2026"
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton)
    assert page.to_edit.text() == "30 Nov 2026"
    assert page.summary.text() == "0 matching bookings"
    assert not line_edit_warnings(qtlog)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_on_a_booking_opens_it_at_the_desk(
    qtbot: QtBot, make_window: MakeWindow, key: Qt.Key
) -> None:
    """What a double-click does, with the keyboard alone."""
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    table: QTableView = page.table
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.search_edit, "amelia")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert page.summary.text() == "2 matching bookings"
    press_tab_until(qtbot, table, backwards=True)  # the table comes just before the search
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert current_customer(table) == "amelia Park"

    qtbot.keyClick(table, key)
    desk = window.desk_page
    assert window.tabs.currentWidget() is desk
    assert desk.day_title.text() == "Thursday 03 December 2026"
    assert desk.panel.currentWidget() is desk.details
    assert desk.details.fields["Customer"].text() == "amelia Park"


@pytest.mark.usefixtures("seeded")
def test_down_from_the_search_goes_to_what_it_found(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.search_edit, "amelia")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    first = current_customer(page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert {first, current_customer(page.table)} == {"Amelia Watson", "amelia Park"}
