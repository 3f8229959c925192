"""Cancel, undo, move, other desks' changes, and what the window remembers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui.settings import Settings
from timesyncer_gui.storage import DatabaseBusy, sqlite_path
from timesyncer_gui.ui import desk_page
from timesyncer_gui.ui.customer_dialog import CustomerDialog
from timesyncer_gui.ui.desk_page import DeskPage
from timesyncer_gui.ui.elided_label import ElidedLabel
from timesyncer_gui.ui.main_window import MainWindow
from timesyncer_gui.ui.move_dialog import MoveDialog

from .helpers import answer_next_dialog, click_slot, shown_tip, stored, when_open

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MakeWindow = Callable[..., MainWindow]


OTHER_DESK = """
import sys
from datetime import UTC, datetime, timedelta
from timesyncer_gui import BookingRequest, open_repository
start = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
with open_repository(sys.argv[1]) as repo:
    end = start + timedelta(minutes=30)
    repo.book(BookingRequest("Other Desk", "other@example.com", start, end))
"""


def book_ten_from_another_process(settings: Settings) -> None:
    """Another desk, a process of its own, books 10:00 on the same database file."""
    subprocess.run([sys.executable, "-c", OTHER_DESK, settings.db_url], check=True, timeout=60)


def reactivate(qtbot: QtBot, window: MainWindow) -> None:
    """Offscreen, focus does not come back to the window by itself after a dialog closes."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def cancel_nine_oclock(qtbot: QtBot, window: MainWindow) -> None:
    """Select the 09:00 booking, press Cancel and confirm, as the receptionist would."""
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    answer_next_dialog("Cancel booking")
    qtbot.mouseClick(page.details.cancel_button, Qt.MouseButton.LeftButton)


def booked_window(make_window: MakeWindow) -> MainWindow:
    window = make_window()
    window.desk.book(name="Amelia Watson", email="amelia@example.org", start=NINE)
    window.refresh_all()
    return window


def test_cancel_asks_first_naming_whose_booking_and_when(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    assert page.panel.currentWidget() is page.details
    assert page.details.fields["Customer"].text() == "Amelia Watson"

    asked: list[str] = []
    answer_next_dialog("Keep it", asked)
    qtbot.mouseClick(page.details.cancel_button, Qt.MouseButton.LeftButton)
    assert asked == ["Cancel Amelia Watson's booking on Mon 30 Nov 2026, 09:00–09:30?"]
    assert len(stored(settings)) == 1  # kept

    answer_next_dialog("Cancel booking")
    qtbot.mouseClick(page.details.cancel_button, Qt.MouseButton.LeftButton)
    assert stored(settings) == []
    assert stored(settings, "cancelled")[0][0] == "Amelia Watson"
    assert page.day_view.day_model.index(0, 1).data() == "Free"
    assert "Ctrl+Z undoes it" in window.statusBar().currentMessage()


def test_ctrl_z_undoes_the_last_cancel(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    cancel_nine_oclock(qtbot, window)
    assert stored(settings) == []

    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(settings) == [("Amelia Watson", "amelia@example.org", int(NINE.timestamp()))]
    assert page.day_view.day_model.index(0, 1).data() == "Amelia Watson"
    assert window.statusBar().currentMessage() == "Restored Amelia Watson's booking."


def test_after_undo_the_restored_booking_is_shown_without_a_false_alarm(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    cancel_nine_oclock(qtbot, window)
    assert page.panel.currentWidget() is page.form  # the freed slot, ready to book again

    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.panel.currentWidget() is page.details
    assert page.details.fields["Customer"].text() == "Amelia Watson"
    assert page.details.cancel_button.isEnabled()
    assert page.form.error_text("start") == ""  # no "another desk has just booked this"


def test_ctrl_z_in_an_untouched_text_field_undoes_the_cancel_and_typing_comes_first(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    assert not window.undo_action.isEnabled()  # nothing cancelled yet
    cancel_nine_oclock(qtbot, window)
    assert window.undo_action.isEnabled()
    reactivate(qtbot, window)

    qtbot.mouseClick(page.form.name_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.name_edit, "Bo")
    qtbot.keyClick(page.form.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.form.name_edit.text() == ""  # the typing was undone first
    assert stored(settings) == []

    qtbot.keyClick(page.form.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [row[0] for row in stored(settings)] == ["Amelia Watson"]
    assert window.statusBar().currentMessage() == "Restored Amelia Watson's booking."
    assert not window.undo_action.isEnabled()


def test_ctrl_z_in_the_admin_search_box_undoes_the_cancel(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    cancel_nine_oclock(qtbot, window)
    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.admin_page.search_edit
    assert window.focusWidget() is search
    qtbot.keyClick(search, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [row[0] for row in stored(settings)] == ["Amelia Watson"]


def test_undo_is_refused_when_the_slot_was_taken_meanwhile(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    cancel_nine_oclock(qtbot, window)
    window.desk.book(name="Walk In", email="walkin@example.com", start=NINE)
    reactivate(qtbot, window)

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == (
        "Could not undo the cancel: Amelia Watson's time has been booked again since. "
        "Book them another time."
    )
    assert [row[0] for row in stored(settings)] == ["Walk In"]
    assert not window.undo_action.isEnabled()  # nothing left to undo


def test_move_to_another_free_slot(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    window.desk.book(name="Ben", email="ben@example.com", start=NINE + timedelta(hours=1))
    window.refresh_all()
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")

    def choose_and_move(dialog: MoveDialog) -> None:
        assert dialog.resource_combo is None  # one resource: nowhere else to go
        times = offered(dialog)
        assert "10:00–10:30" not in times  # Ben's slot is not offered
        assert "09:00–09:30" not in times  # nor the booking's own
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("11:30–12:00"))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    move_with(
        page,
        choose_and_move,
        lambda: qtbot.mouseClick(page.details.move_button, Qt.MouseButton.LeftButton),
    )

    moved_to = int((NINE + timedelta(hours=2, minutes=30)).timestamp())
    assert ("Amelia Watson", "amelia@example.org", moved_to) in stored(settings)
    assert page.day_view.day_model.index(0, 1).data() == "Free"
    assert page.details.fields["When"].text() == "Mon 30 Nov 2026, 11:30–12:00"
    assert window.statusBar().currentMessage() == (
        "Moved Amelia Watson's booking to Mon 30 Nov 2026, 11:30–12:00."
    )


def two_rooms_window(make_window: MakeWindow) -> MainWindow:
    """Amelia at 09:00 at the main desk; Room 2 holds Ben at 10:30."""
    window = make_window()
    room = window.desk.repository.add_resource("Room 2")
    window.desk.book(name="Amelia Watson", email="amelia@example.org", start=NINE)
    window.desk.book(
        name="Ben", email="ben@example.com", start=NINE + timedelta(hours=1.5), resource_id=room.id
    )
    window.refresh_all()
    return window


def offered(dialog: MoveDialog) -> list[str]:
    return [dialog.slot_combo.itemText(i) for i in range(dialog.slot_combo.count())]


def test_move_to_another_resource_at_the_same_time(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = two_rooms_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: dict[str, object] = {}

    def move_next_door(dialog: MoveDialog) -> None:
        combo = dialog.resource_combo
        assert combo is not None
        seen["rooms"] = [combo.itemText(i) for i in range(combo.count())]
        seen["from"] = combo.currentText()
        seen["booking"] = dialog.findChild(ElidedLabel).text()
        seen["here"] = offered(dialog)
        combo.setCurrentIndex(combo.findText("Room 2"))
        seen["there"] = offered(dialog)
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("09:00–09:30"))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    move_with(page, move_next_door)
    assert seen["rooms"] == ["Main desk", "Room 2"]
    assert seen["from"] == "Main desk"  # where the booking is now
    assert seen["booking"] == "Amelia Watson, Mon 30 Nov 2026, 09:00–09:30, Main desk"
    assert "09:00–09:30" not in seen["here"]  # type: ignore[operator]
    assert "09:00–09:30" in seen["there"]  # type: ignore[operator]
    assert "10:30–11:00" not in seen["there"]  # type: ignore[operator]  Ben's, in Room 2
    with sqlite3.connect(sqlite_path(settings.db_url)) as conn:
        rows = conn.execute(
            "SELECT b.customer_name, r.name, b.start_utc FROM bookings b"
            " JOIN resources r ON r.id = b.resource_id ORDER BY b.start_utc"
        ).fetchall()
    assert rows == [
        ("Amelia Watson", "Room 2", int(NINE.timestamp())),
        ("Ben", "Room 2", int((NINE + timedelta(hours=1.5)).timestamp())),
    ]
    # The desk follows the booking to where it now is, and says so.
    assert window.statusBar().currentMessage() == (
        "Moved Amelia Watson's booking to Mon 30 Nov 2026, 09:00–09:30, Room 2."
    )
    assert page.resource_combo.currentText() == "Room 2"
    assert page.details.fields["Resource"].text() == "Room 2"
    assert page.details.fields["When"].text() == "Mon 30 Nov 2026, 09:00–09:30"
    assert page.details.fields["Booked on"].text() == "Mon 30 Nov 2026, 08:00"  # as When reads
    # The customer is told where, as well as when: having heard nothing yet, in the one
    # confirmation that goes.
    amelia = page.details.booking
    assert amelia is not None
    emails = window.desk.repository.outbox.for_booking(amelia.id)  # type: ignore[attr-defined]
    waiting = [(m.kind.value, m.resource_name) for m in emails if m.state.value == "queued"]
    assert waiting == [("confirmation", "Room 2")]


def test_a_time_taken_in_the_other_resource_is_no_longer_chosen_and_says_why(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = two_rooms_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: dict[str, object] = {}

    def choose_then_change_room(dialog: MoveDialog) -> None:
        combo = dialog.resource_combo
        assert combo is not None
        move = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("11:00–11:30"))
        combo.setCurrentIndex(combo.findText("Room 2"))  # free there too: still chosen
        seen["kept"] = (dialog.slot_combo.currentText(), move.isEnabled(), dialog.message.text())
        combo.setCurrentIndex(combo.findText("Main desk"))
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("10:30–11:00"))
        combo.setCurrentIndex(combo.findText("Room 2"))  # Ben's there
        seen["dropped"] = (dialog.slot_combo.currentText(), move.isEnabled())
        seen["message"] = dialog.message.text()
        dialog.reject()

    move_with(page, choose_then_change_room)
    assert seen["kept"] == ("11:00–11:30", True, "")
    assert seen["dropped"] == ("", False)
    assert seen["message"] == "10:30–11:00 is not free in Room 2: choose another time."
    assert ("Amelia Watson", "amelia@example.org", int(NINE.timestamp())) in stored(settings)


def test_a_change_from_another_process_shows_within_two_seconds(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    model = window.desk_page.day_view.day_model
    assert model.index(2, 1).data() == "Free"
    book_ten_from_another_process(settings)
    qtbot.waitUntil(lambda: model.index(2, 1).data() == "Other Desk", timeout=2000)


def test_size_splitter_and_tab_are_remembered(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.resize(QSize(760, 560))  # within the offscreen screen
    size = window.size()
    window.desk_page.splitter.setSizes([250, 200, 250])
    sizes = window.desk_page.splitter.sizes()
    window.close()

    again = make_window()
    assert again.size() == size
    qtbot.waitUntil(lambda: again.desk_page.splitter.sizes() == sizes, timeout=2000)
    again.tabs.setCurrentIndex(1)
    again.close()

    third = make_window()
    assert third.tabs.currentWidget() is third.admin_tab


def test_shortcuts_switch_tabs_find_refresh_and_quit(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.admin_tab
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.desk_page
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.admin_tab
    assert window.focusWidget() is window.admin_page.search_edit
    window.desk.book(name="Ana", email="ana@example.com", start=NINE)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.admin_page.summary.text() == "1 upcoming booking"
    shortcuts = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["&Quit"] == "Ctrl+Q"
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
    assert not window.poll_timer.isActive()


def test_every_input_and_action_has_an_accessible_name_equal_to_its_label(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    window.tabs.setCurrentIndex(1)
    checked = 0
    for page in (window.desk_page, window.admin_page):
        for label in page.findChildren(QLabel):
            buddy = label.buddy()
            if buddy is not None and label.text():
                assert buddy.accessibleName() == label.text().replace("&", "")
                checked += 1
    form = window.desk_page.form
    for button in (
        form.book_button,
        window.desk_page.details.cancel_button,
        window.desk_page.details.move_button,
        window.admin_page.upcoming_button,
        window.admin_page.all_dates_button,
    ):
        assert button.accessibleName() == button.text()
    for name in ("Name", "Email", "Phone", "Notes"):
        assert getattr(form, f"{name.lower()}_edit").accessibleName() == name
    assert checked >= 4
    assert window.windowTitle() == "TimeSyncer"
    qtbot.waitUntil(lambda: not window.windowIcon().isNull())  # set once the window painted


def test_the_keyboard_starts_on_the_calendar(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    calendar = window.desk_page.calendar
    focused = QApplication.focusWidget()
    assert focused is not None and (focused is calendar or calendar.isAncestorOf(focused))
    selected = calendar.selected_day()
    qtbot.keyClick(focused, Qt.Key.Key_Right)  # the arrow keys move through the days
    assert calendar.selected_day() == selected + timedelta(days=1)


def test_a_slot_booked_elsewhere_while_typing_keeps_the_form_and_says_so(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.desk_page
    click_slot(qtbot, page.day_view, "10:00–10:30")
    page.form.name_edit.setText("Priya Natarajan")
    email = page.form.email_edit
    email.setFocus()
    qtbot.keyClicks(email, "priya@")
    book_ten_from_another_process(settings)
    qtbot.waitUntil(
        lambda: page.form.error_text("start").startswith("Another desk has just booked"),
        timeout=2000,
    )
    assert page.panel.currentWidget() is page.form
    assert not page.form.book_button.isEnabled()
    assert page.day_view.day_model.index(2, 1).data() == "Other Desk"
    # The receptionist goes on typing where they were: nothing jumps to another field.
    assert QApplication.focusWidget() is email
    qtbot.keyClicks(QApplication.focusWidget(), "example.com")
    assert page.form.name_edit.text() == "Priya Natarajan"
    assert email.text() == "priya@example.com"
    qtbot.keyClick(email, Qt.Key.Key_Return)  # Book, out of habit: the same reason, again
    assert page.form.error_text("start").startswith("Another desk has just booked")


def move_with(
    page: DeskPage, act: Callable[[MoveDialog], None], press: Callable[[], None] | None = None
) -> None:
    """Press Move… on the shown booking (or ``press`` it some other way), and do ``act`` in
    the dialog once it is open."""

    when_open(lambda: page.move_dialog, act)
    (press or page.details.move_button.click)()


def test_a_move_refused_because_the_time_was_taken_chooses_no_other_time(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: dict[str, object] = {}

    def choose_then_lose_the_race(dialog: MoveDialog) -> None:
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("10:30–11:00"))
        window.desk.book(
            name="Quick Desk", email="quick@example.com", start=NINE + timedelta(hours=1.5)
        )
        move = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        move.click()
        seen["message"] = dialog.message.text()
        seen["chosen"] = dialog.slot_combo.currentText()
        seen["offered"] = [dialog.slot_combo.itemText(i) for i in range(dialog.slot_combo.count())]
        seen["move enabled"] = move.isEnabled()
        dialog.reject()

    move_with(page, choose_then_lose_the_race)
    assert "already taken" in str(seen["message"])
    assert seen["chosen"] == ""  # nothing chosen for the person
    assert "10:30–11:00" not in seen["offered"]  # type: ignore[operator]
    assert seen["move enabled"] is False
    assert ("Amelia Watson", "amelia@example.org", int(NINE.timestamp())) in stored(settings)


def test_enter_in_a_just_opened_move_dialog_moves_nothing(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    """No time is chosen for the person: Move waits until one is picked."""
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    before = stored(settings)
    seen: list[str] = []

    def press_enter(dialog: MoveDialog) -> None:
        move = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        seen.extend([dialog.slot_combo.currentText(), str(move.isEnabled())])
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        seen.append(str(dialog.isVisible()))
        dialog.slot_combo.setCurrentIndex(0)  # the day's first free time, picked
        seen.append(str(move.isEnabled()))
        dialog.reject()

    move_with(page, press_enter)
    assert seen == ["", "False", "True", "True"]
    assert page.move_dialog is None or not page.move_dialog.isVisible()
    assert stored(settings) == before


def test_the_move_dialog_says_when_a_day_is_closed(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: list[str] = []

    def pick_sunday(dialog: MoveDialog) -> None:
        dialog.date_edit.setDate(QDate(2026, 12, 6))  # a Sunday: the desk is closed
        seen.append(dialog.slot_combo.currentText())
        seen.append(str(dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()))
        dialog.reject()

    move_with(page, pick_sunday)
    assert seen == ["Closed on this day", "False"]


def test_opening_a_cancelled_booking_shows_that_booking_not_the_slots_new_holder(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    cancelled = window.desk.cancel(window.desk.day(NINE.date())[0].booking.id)  # type: ignore[union-attr]
    window.desk.book(name="Rita Rebooked", email="rita@example.com", start=NINE)
    window.refresh_all()

    window.open_booking(cancelled)
    assert page.panel.currentWidget() is page.details
    assert page.details.fields["Customer"].text() == "Amelia Watson"
    assert page.details.title.text().endswith("· cancelled")
    assert "free for other bookings" in page.details.message.text()
    assert not page.details.cancel_button.isEnabled()
    assert not page.details.move_button.isEnabled()


def test_a_customer_name_is_shown_as_typed_never_as_markup(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    name = '<span style="font-size:40pt">Huge</span> <a href="http://x">link</a>'
    click_slot(qtbot, page.day_view, "09:00–09:30")
    page.form.name_edit.setText(name)
    page.form.email_edit.setText("huge@example.com")
    page.form.submit()
    assert page.form.message.textFormat() == Qt.TextFormat.PlainText
    assert page.form.message.text().startswith(f"Booked {name} for")

    click_slot(qtbot, page.day_view, "09:00–09:30")
    customer = page.details.fields["Customer"]
    assert customer.text() == name
    assert customer.textFormat() == Qt.TextFormat.PlainText
    asked: list[str] = []
    formats: list[Qt.TextFormat] = []

    when_open(
        QApplication.activeModalWidget,
        lambda box: formats.append(box.textFormat()),  # type: ignore[attr-defined]
    )
    answer_next_dialog("Keep it", asked)
    page.details.cancel_button.click()
    assert asked == [f"Cancel {name}'s booking on Mon 30 Nov 2026, 09:00–09:30?"]
    assert formats == [Qt.TextFormat.PlainText]


def test_a_long_unbroken_name_is_elided_and_never_widens_the_window(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    width = window.width()
    name = "Bartholomew" * 10  # 110 letters, no space to break at
    notes = "https://example.com/" + "x" * 180
    window.desk.book(name=name, email="b@example.com", start=NINE, notes=notes)
    window.refresh_all()
    click_slot(qtbot, page.day_view, "09:00–09:30")
    qtbot.wait(50)  # let the layout settle
    assert window.width() == width
    customer = page.details.fields["Customer"]
    assert customer.is_elided()  # type: ignore[attr-defined]
    assert shown_tip(customer.toolTip()) == name
    notes_view = page.details.fields["Notes"]
    assert notes_view.text() == notes  # whole, wrapped within the panel, to scroll through
    assert notes_view.width() <= page.details.width()
    assert notes_view.verticalScrollBar().maximum() > 0  # type: ignore[union-attr]

    seen: list[int] = []

    def measure(dialog: MoveDialog) -> None:
        seen.append(dialog.sizeHint().width())
        dialog.reject()

    move_with(page, measure)
    assert seen and seen[0] < width


def test_a_confirmation_goes_once_another_slot_is_chosen(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    page.form.name_edit.setText("Ana")
    page.form.email_edit.setText("ana@example.com")
    page.form.submit()
    assert page.form.message.isVisibleTo(page.form)
    click_slot(qtbot, page.day_view, "10:00–10:30")
    assert not page.form.message.isVisibleTo(page.form)


ADD_ROOM = """
import sys
from timesyncer_gui import open_repository
with open_repository(sys.argv[1]) as repo:
    repo.add_resource("Room 2")
"""


def test_a_resource_added_by_another_process_appears_without_a_click(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    combo = window.desk_page.resource_combo
    assert not combo.isVisible()  # one resource: nothing to choose
    subprocess.run([sys.executable, "-c", ADD_ROOM, settings.db_url], check=True, timeout=60)
    qtbot.waitUntil(combo.isVisible, timeout=2500)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Main desk", "Room 2"]
    assert combo.currentText() == "Main desk"  # what was shown stays shown


def test_enter_goes_from_a_slot_to_its_form_or_details_and_presses_buttons(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    page.day_view.setFocus()
    qtbot.keyClick(page.day_view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.day_view, Qt.Key.Key_Down)  # 09:30, free
    qtbot.keyClick(page.day_view, Qt.Key.Key_Return)
    assert window.focusWidget() is page.form.name_edit

    page.day_view.setFocus()
    qtbot.keyClick(page.day_view, Qt.Key.Key_Up)  # 09:00, Amelia's
    qtbot.keyClick(page.day_view, Qt.Key.Key_Return)
    assert window.focusWidget() is page.details.move_button
    opened: list[str] = []

    def note_and_close(dialog: MoveDialog) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    move_with(
        page,
        note_and_close,
        lambda: qtbot.keyClick(page.details.move_button, Qt.Key.Key_Return),
    )
    assert opened == ["Move booking"]


def test_the_cancel_question_has_no_misleading_icons_and_escape_keeps_the_booking(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: list[tuple[str, bool]] = []

    def look_then_escape(box: QMessageBox) -> None:
        # Not Yes and No relabelled: platforms that put icons on those would show a tick on
        # "Cancel booking" and a cross on "Keep it".
        none = QMessageBox.StandardButton.NoButton
        seen.extend(
            (b.text(), b.icon().isNull() and box.standardButton(b) == none)
            for b in box.findChildren(QPushButton)
        )
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    when_open(QApplication.activeModalWidget, look_then_escape)
    page.details.cancel_button.click()
    assert sorted(seen) == [("Cancel booking", True), ("Keep it", True)]
    assert len(stored(settings)) == 1  # Escape kept it


def test_opening_a_booking_after_a_cancelled_one_shows_it_even_on_the_same_row(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)  # Amelia at 09:00
    page = window.desk_page
    zed = window.desk.book(name="Zed", email="zed@example.com", start=NINE + timedelta(hours=1))
    zed = window.desk.cancel(zed.id)
    window.refresh_all()
    click_slot(qtbot, page.day_view, "09:00–09:30")  # the cursor on Amelia's row
    window.open_booking(zed)
    assert page.details.fields["Customer"].text() == "Zed"
    amelia = window.desk.day(NINE.date())[0].booking
    assert amelia is not None
    window.open_booking(amelia)
    assert page.details.fields["Customer"].text() == "Amelia Watson"
    assert page.details.cancel_button.isEnabled()


def test_a_booking_shows_in_the_day_even_when_the_month_cannot_be_counted(
    qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    page = window.desk_page

    def locked(*_args: object) -> list[int]:
        # Only the month's counting query fails here; a real fault picks its query at random.
        raise DatabaseBusy("The booking database is in use by another program.")

    monkeypatch.setattr(window.desk.repository, "counts_between", locked)
    click_slot(qtbot, page.day_view, "09:00–09:30")
    page.form.name_edit.setText("Ana")
    page.form.email_edit.setText("ana@example.com")
    page.form.submit()
    assert page.form.message.text().startswith("Booked Ana")
    assert page.day_view.day_model.index(0, 1).data() == "Ana"
    assert "in use by another program" in window.statusBar().currentMessage()


def test_a_detail_cut_to_fit_is_copied_whole_from_its_menu(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    email = "bartholomew.maximilian." * 4 + "long@example.com"
    window.desk.book(name="Bart", email=email, start=NINE)
    window.refresh_all()
    click_slot(qtbot, page.day_view, "09:00–09:30")
    field = page.details.fields["Email"]
    assert field.is_elided()  # type: ignore[attr-defined]
    QApplication.clipboard().clear()

    def choose_copy(menu: QWidget) -> None:
        (copy,) = [a for a in menu.actions() if a.text() == "Copy"]
        copy.trigger()
        menu.close()

    when_open(QApplication.activePopupWidget, choose_copy)
    centre = field.rect().center()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, centre, field.mapToGlobal(centre))
    QApplication.sendEvent(field, event)
    assert QApplication.clipboard().text() == email


def test_the_move_dialog_says_when_a_day_cannot_be_read(
    qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: list[str] = []

    def unreadable(*_args: object) -> list[object]:
        raise DatabaseBusy("The booking database is in use by another program.")

    def read_another_day(dialog: MoveDialog) -> None:
        monkeypatch.setattr(window.desk, "day", unreadable)
        dialog.date_edit.setDate(QDate(2026, 12, 2))
        seen.extend((dialog.slot_combo.currentText(), dialog.message.text()))
        seen.append(str(dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()))
        dialog.reject()

    move_with(page, read_another_day)
    assert seen == [
        "Could not read this day",
        "The booking database is in use by another program.",
        "False",
    ]


def test_a_cancelled_booking_opened_from_admin_stays_shown_through_refreshes(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    amelia = window.desk.day(NINE.date())[0].booking
    assert amelia is not None
    cancelled = window.desk.cancel(amelia.id)
    window.desk.book(name="Rita Rebooked", email="rita@example.com", start=NINE)
    window.refresh_all()
    window.open_booking(cancelled)
    book_ten_from_another_process(settings)
    model = page.day_view.day_model
    qtbot.waitUntil(lambda: model.index(2, 1).data() == "Other Desk", timeout=2500)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert page.panel.currentWidget() is page.details
    assert page.details.fields["Customer"].text() == "Amelia Watson"
    assert page.details.title.text().endswith("· cancelled")


def test_ctrl_z_after_a_booking_does_not_bring_back_the_last_customer(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "10:00–10:30")
    qtbot.mouseClick(page.form.name_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.form.name_edit, "Bob Typed")
    page.form.email_edit.setText("bob@example.org")
    qtbot.keyClick(page.form.email_edit, Qt.Key.Key_Return)
    assert page.form.name_edit.text() == ""
    cancel_nine_oclock(qtbot, window)
    reactivate(qtbot, window)
    qtbot.mouseClick(page.form.name_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClick(page.form.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.form.name_edit.text() == ""  # not "Bob Typed" again
    assert "Amelia Watson" in [row[0] for row in stored(settings)]  # the cancel was undone


def test_opening_a_booking_from_admin_puts_the_keyboard_on_it(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    amelia = window.desk.day(NINE.date())[0].booking
    assert amelia is not None
    window.tabs.setCurrentIndex(1)
    window.open_booking(amelia)
    assert window.focusWidget() is page.details.move_button
    cancelled = window.desk.cancel(amelia.id)
    window.tabs.setCurrentIndex(1)
    window.open_booking(cancelled)
    assert window.focusWidget() is page.day_view  # a cancelled one has nothing to press


def test_the_move_dialog_shows_the_booking_whole_and_steps_days_with_the_arrows(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: dict[str, object] = {}

    def look(dialog: MoveDialog) -> None:
        booking_line = dialog.findChild(ElidedLabel)
        assert booking_line is not None
        seen["cut"] = booking_line.is_elided()
        dialog.date_edit.setDate(QDate(2026, 12, 6))  # a Sunday
        dialog.date_edit.setFocus()
        dialog.date_edit.setCurrentSectionIndex(0)  # where the cursor starts
        qtbot.keyClick(dialog.date_edit, Qt.Key.Key_Up)
        seen["after up"] = dialog.date_edit.date().toPython()
        dialog.date_edit.setDate(QDate(2026, 11, 30))
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("10:30–11:00"))
        window.desk.book(
            name="Quick Desk", email="quick@example.com", start=NINE + timedelta(hours=1.5)
        )
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        seen["refusal"] = dialog.message.text()
        seen["refusal fits"] = dialog.message.height() >= dialog.message.heightForWidth(
            dialog.message.width()
        )
        dialog.slot_combo.setCurrentIndex(dialog.slot_combo.findText("11:00–11:30"))
        seen["after a new choice"] = dialog.message.text()
        dialog.reject()

    move_with(page, look)
    assert seen["cut"] is False  # "Amelia Watson, Mon 30 Nov 2026, 09:00–09:30" whole
    assert seen["after up"] == date(2026, 12, 7)  # the day's number steps, past Sunday
    assert "already taken" in str(seen["refusal"])
    assert seen["refusal fits"] is True
    assert seen["after a new choice"] == ""


def test_a_cancelled_booking_shown_gives_way_when_another_day_is_chosen(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    amelia = window.desk.day(NINE.date())[0].booking
    assert amelia is not None
    window.open_booking(window.desk.cancel(amelia.id))
    assert page.panel.currentWidget() is page.details
    page.show_day(date(2026, 12, 1))  # the receptionist clicks Tuesday
    assert page.panel.currentWidget() is page.form


def test_ctrl_n_after_a_cancelled_booking_was_shown_stays_on_the_form(
    qtbot: QtBot, make_window: MakeWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    amelia = window.desk.day(NINE.date())[0].booking
    assert amelia is not None
    cancelled = window.desk.cancel(amelia.id)
    for entry in window.desk.day(NINE.date()):  # the day full: nothing for Ctrl+N to offer
        window.desk.book(name="Walk In", email="walkin@example.com", start=entry.slot.start)
    monkeypatch.setattr(desk_page, "LOOK_AHEAD_DAYS", 0)  # nor on any day after it
    window.refresh_all()
    window.open_booking(cancelled)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.panel.currentWidget() is page.form
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert page.panel.currentWidget() is page.form


def test_a_booking_opened_from_an_older_admin_row_is_shown_as_it_stands(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    amelia = window.desk.day(NINE.date())[0].booking
    assert amelia is not None
    seen_cancelled = window.desk.cancel(amelia.id)  # the Admin row was read now...
    window.desk.restore(amelia.id)  # ...and another desk restored it since
    window.refresh_all()
    window.open_booking(seen_cancelled)
    assert page.details.cancel_button.isEnabled()  # booked, as it is
    assert page.day_view.current_slot() is not None  # its row, chosen


def edit_with(page: DeskPage, act: Callable[[CustomerDialog], None]) -> None:
    """Press Edit… on the shown booking and do ``act`` in the dialog once it is open."""
    when_open(lambda: page.customer_dialog, act)
    page.details.edit_button.click()


def test_edit_corrects_a_mistyped_address_and_the_new_one_gets_the_confirmation(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    outbox = window.desk.repository.outbox  # type: ignore[attr-defined]
    [first] = outbox.claim_due(NINE)
    outbox.mark_sent(first.id, NINE - timedelta(hours=1))  # to the mistyped address
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    seen: dict[str, object] = {}

    def retype_the_email(dialog: CustomerDialog) -> None:
        seen["name"] = dialog.edits["name"].text()
        email = dialog.edits["email"]
        email.setFocus()
        email.selectAll()
        qtbot.keyClicks(email, "amelia.watson@example.org")
        qtbot.keyClick(email, Qt.Key.Key_Return)  # Enter saves

    edit_with(page, retype_the_email)
    assert seen["name"] == "Amelia Watson"  # the dialog opens on the details as they are
    assert ("Amelia Watson", "amelia.watson@example.org", int(NINE.timestamp())) in stored(settings)
    assert window.statusBar().currentMessage() == (
        "Saved Amelia Watson's details. The confirmation goes to the new address."
    )
    assert page.details.fields["Email"].text() == "amelia.watson@example.org"
    booking = page.details.booking
    assert booking is not None
    waiting = [
        (m.kind.value, m.recipient) for m in outbox.for_booking(booking.id) if m.state == "queued"
    ]
    assert waiting == [("confirmation", "amelia.watson@example.org")]
    # The old address's email is named with it: nobody takes it for one the new one had.
    assert page.details.fields["Emails"].text() == (
        "Confirmation to amelia@example.org sent Mon 30 Nov 2026, 08:00\n"
        "Confirmation waiting to be sent"
    )


def test_edit_says_why_a_bad_address_is_refused_and_changes_nothing(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = booked_window(make_window)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    before = stored(settings)
    seen: dict[str, object] = {}

    def mistype_then_close(dialog: CustomerDialog) -> None:
        dialog.edits["name"].setText("Amelia Watson-Hill")
        dialog.edits["email"].setText("amelia@")
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        seen["error"] = dialog.errors["email"].text()
        seen["focus"] = dialog.focusWidget() is dialog.edits["email"]
        seen["open"] = dialog.isVisible()
        dialog.reject()  # Close: nothing saved, not even the name

    edit_with(page, mistype_then_close)
    assert str(seen["error"]).startswith("That email address is not valid.")
    assert seen["focus"] is True and seen["open"] is True
    assert stored(settings) == before
    assert page.details.fields["Customer"].text() == "Amelia Watson"
