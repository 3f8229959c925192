"""Booking at the desk, driven as a receptionist would: clicking, typing, reading messages."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.desk import Desk
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.settings import Settings
from timesyncer_gui.storage import sqlite_path
from timesyncer_gui.ui.day_view import OFF_GRID, DayView
from timesyncer_gui.ui.main_window import MainWindow

from .conftest import DESK_ENV
from .helpers import click_slot, stored, type_text

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
MakeWindow = Callable[..., MainWindow]


def test_book_with_the_mouse(qtbot: QtBot, make_window: MakeWindow, settings: Settings) -> None:
    window = make_window()
    page = window.desk_page
    form = page.form
    assert page.day_title.text() == "Monday 30 November 2026"

    click_slot(qtbot, page.day_view, "09:00–09:30")
    assert form.when.text() == "Mon 30 Nov 2026, 09:00–09:30"
    qtbot.mouseClick(form.name_edit, Qt.MouseButton.LeftButton)
    type_text(qtbot, form.name_edit, "  José García ")
    qtbot.mouseClick(form.email_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.email_edit, "jose@example.com")
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)

    assert form.message.text() == "Booked José García for Mon 30 Nov 2026, 09:00–09:30."
    assert form.message.property("kind") == "ok"
    assert stored(settings) == [("José García", "jose@example.com", int(NINE.timestamp()))]
    # The slot turns booked at once; the form clears and waits for the next customer.
    assert page.day_view.day_model.index(0, 1).data() == "José García"
    assert form.name_edit.text() == "" and form.email_edit.text() == ""
    assert window.focusWidget() is form.name_edit
    assert page.panel.currentWidget() is form


def test_book_with_the_keyboard_alone(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.desk_page
    page.day_view.setFocus()
    qtbot.keyClick(page.day_view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert page.form.when.text() == "Mon 30 Nov 2026, 09:00–09:30"
    qtbot.keyClick(page.day_view, Qt.Key.Key_Down)
    assert page.form.when.text() == "Mon 30 Nov 2026, 09:30–10:00"
    qtbot.keyClick(page.day_view, Qt.Key.Key_Tab)
    assert window.focusWidget() is page.form.name_edit
    type_text(qtbot, page.form.name_edit, "李雷")
    qtbot.keyClick(page.form.name_edit, Qt.Key.Key_Tab)
    assert window.focusWidget() is page.form.email_edit
    qtbot.keyClicks(page.form.email_edit, "li.lei@example.cn")
    qtbot.keyClick(page.form.email_edit, Qt.Key.Key_Return)

    assert page.form.message.text() == "Booked 李雷 for Mon 30 Nov 2026, 09:30–10:00."
    assert stored(settings) == [("李雷", "li.lei@example.cn", int((NINE + HALF_HOUR).timestamp()))]


def test_moving_along_a_row_chooses_no_new_slot(qtbot: QtBot, make_window: MakeWindow) -> None:
    page = make_window().desk_page
    page.day_view.setFocus()
    qtbot.keyClick(page.day_view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    chosen: list[object] = []
    page.day_view.slot_selected.connect(chosen.append)
    qtbot.keyClick(page.day_view, Qt.Key.Key_Right)
    qtbot.keyClick(page.day_view, Qt.Key.Key_Left)
    assert chosen == []
    assert page.form.when.text() == "Mon 30 Nov 2026, 09:00–09:30"
    qtbot.keyClick(page.day_view, Qt.Key.Key_Down)
    assert len(chosen) == 1
    assert page.form.when.text() == "Mon 30 Nov 2026, 09:30–10:00"


def test_ctrl_n_offers_the_next_free_slot(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    window.desk.book(name="Ana", email="ana@example.com", start=NINE)
    window.refresh_all()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.desk_page.form.when.text() == "Mon 30 Nov 2026, 09:30–10:00"
    assert window.focusWidget() is window.desk_page.form.name_edit


def test_ctrl_n_late_in_the_day_goes_to_the_next_day_with_a_free_slot(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    window = make_window()
    clock.set(datetime(2026, 11, 30, 18, 29, tzinfo=UTC))  # every slot of Monday has begun
    window.refresh_all()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page = window.desk_page
    assert page.calendar.selected_day() == date(2026, 12, 1)
    assert page.form.when.text() == "Tue 01 Dec 2026, 09:00–09:30"
    assert window.focusWidget() is page.form.name_edit


def test_ctrl_n_from_a_past_day_looks_at_today_first(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    window = make_window()
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))  # Tuesday morning; Monday still shown
    window.refresh_all()
    assert window.desk_page.calendar.selected_day() == date(2026, 11, 30)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.desk_page.form.when.text() == "Tue 01 Dec 2026, 09:00–09:30"


def test_ctrl_n_on_a_full_day_ahead_offers_the_soonest_free_slot_from_today(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    wednesday = date(2026, 12, 2)
    for slot in window.desk.day(wednesday):
        window.desk.book(name="Full Day", email="full@example.com", start=slot.slot.start)
    page.show_day(wednesday)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.calendar.selected_day() == date(2026, 11, 30)  # today, still free
    assert window.statusBar().currentMessage() == (
        "Nothing free on Wed 02 Dec; soonest free: Mon 30 Nov."
    )


def test_a_slot_taken_by_another_desk_is_refused_with_a_reason(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.desk_page
    window.poll_timer.stop()  # the other desk's change must not be picked up before Book
    click_slot(qtbot, page.day_view, "09:00–09:30")
    with open_repository(settings.db_url) as other:  # type: ignore[attr-defined]
        other.book(BookingRequest("Amelia Watson", "amelia@example.org", NINE, NINE + HALF_HOUR))

    page.form.name_edit.setText("Priya Natarajan")
    page.form.email_edit.setText("priya@example.com")
    qtbot.mouseClick(page.form.book_button, Qt.MouseButton.LeftButton)

    refusal = page.form.error_text("start")
    assert "already taken" in refusal
    assert "Mon 30 Nov 2026 09:00 to 09:30" in refusal
    assert stored(settings) == [("Amelia Watson", "amelia@example.org", int(NINE.timestamp()))]
    # The day was refreshed: 09:00 now shows the other desk's customer.
    assert page.day_view.day_model.index(0, 1).data() == "Amelia Watson"


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_written(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    form = window.desk_page.form
    click_slot(qtbot, window.desk_page.day_view, "10:00–10:30")

    form.email_edit.setText("someone@example.com")
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
    assert form.error_text("name") == "Please enter the customer's name."
    assert window.focusWidget() is form.name_edit

    form.name_edit.setText("Ana")
    form.email_edit.setText("ana at example.com")
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
    assert form.error_text("name") == ""
    assert form.error_text("email").startswith("That email address is not valid.")
    assert window.focusWidget() is form.email_edit

    form.email_edit.setText("ana@example.com")
    form.name_edit.setText("Ana\nBcc: victim@example.com")
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
    assert "line breaks" in form.error_text("name")

    pasted = "Hannah " + "Oberländer-" * 20  # 227 characters, pasted in one go
    form.name_edit.setFocus()
    form.name_edit.selectAll()
    form.name_edit.insert(pasted)
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
    assert form.name_edit.text() == pasted  # kept whole, to be shortened by the person
    assert form.error_text("name") == (
        f"The name is too long: at most 120 characters (this one has {len(pasted)})."
    )

    form.name_edit.setText("Ana")
    form.phone_edit.setText("call me maybe")
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
    assert "phone number" in form.error_text("phone")
    assert window.focusWidget() is form.phone_edit

    assert stored(settings) == []


def test_past_slots_and_closed_days_cannot_be_booked(
    qtbot: QtBot, make_window: MakeWindow, clock: object
) -> None:
    window = make_window()
    page = window.desk_page
    clock.set(NINE + timedelta(hours=1, minutes=5))  # type: ignore[attr-defined]
    page.refresh()
    click_slot(qtbot, page.day_view, "09:30–10:00")
    assert page.day_view.day_model.index(1, 1).data() == "Past"
    assert not page.form.book_button.isEnabled()
    assert page.form.when.text() == "09:30–10:00 has begun: choose a later slot"
    type_text(qtbot, page.form.name_edit, "Late Larry")
    qtbot.keyClick(page.form.name_edit, Qt.Key.Key_Return)
    # What to do, under "When", which already says why; not the same sentence again.
    assert page.form.error_text("start") == "Choose a later slot in the day first."
    click_slot(qtbot, page.day_view, "10:30–11:00")  # still to come: bookable
    assert page.form.book_button.isEnabled() and page.form.error_text("start") == ""
    page.show_day((NINE + timedelta(days=6)).date())  # a Sunday
    assert page.day_title.text() == "Sunday 06 December 2026 · closed"
    assert page.day_view.day_model.rowCount() == 0


def test_long_names_are_elided_not_breaking_the_layout(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    long_name = "Hannah " + "Schmidt-Oberländer " * 6
    window.desk.book(name=long_name[:120], email="hannah@example.de", start=NINE)
    window.refresh_all()
    view = window.desk_page.day_view
    assert view.textElideMode() == Qt.TextElideMode.ElideRight
    assert view.wordWrap() is False
    width_before = window.width()
    click_slot(qtbot, view, "09:00–09:30")
    assert window.width() == width_before
    assert window.desk_page.details.fields["Customer"].text() == long_name[:120].strip()


def test_a_locked_database_shows_a_message_and_the_window_stays_usable(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    repository = open_repository(settings.db_url, busy_timeout=0.2)
    window = make_window(repository=repository)
    form = window.desk_page.form
    click_slot(qtbot, window.desk_page.day_view, "09:00–09:30")
    blocker = sqlite3.connect(sqlite_path(settings.db_url), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        form.name_edit.setText("Ana")
        form.email_edit.setText("ana@example.com")
        qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
        assert "in use by another program" in form.message.text()
        assert form.name_edit.text() == "Ana"  # nothing typed is lost
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.mouseClick(form.book_button, Qt.MouseButton.LeftButton)
    assert form.message.text().startswith("Booked Ana")
    assert len(stored(settings)) == 1
    window.close()
    repository.close()


def test_with_two_resources_a_selector_picks_which_one_is_shown_and_booked(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        room = repo.add_resource("Room 2")
        repo.book(BookingRequest("Main Customer", "main@example.com", NINE, NINE + HALF_HOUR))
    window = make_window()
    page = window.desk_page
    assert page.resource_combo.isVisible()
    assert [page.resource_combo.itemText(i) for i in range(2)] == ["Main desk", "Room 2"]
    assert page.day_view.day_model.index(0, 1).data() == "Main Customer"

    page.resource_combo.setCurrentIndex(1)
    assert page.day_view.day_model.index(0, 1).data() == "Free"
    click_slot(qtbot, page.day_view, "09:00–09:30")
    assert page.form.when.text() == "Mon 30 Nov 2026, 09:00–09:30"
    where = page.form.where
    assert where is not None and where.text() == "Room 2" and where.isVisible()
    page.form.name_edit.setText("Room Customer")
    page.form.email_edit.setText("room@example.com")
    qtbot.mouseClick(page.form.book_button, Qt.MouseButton.LeftButton)
    assert (
        page.form.message.text() == "Booked Room Customer for Mon 30 Nov 2026, 09:00–09:30, Room 2."
    )
    with sqlite3.connect(sqlite_path(settings.db_url)) as conn:
        rows = conn.execute(
            "SELECT customer_name, resource_id FROM bookings ORDER BY resource_id"
        ).fetchall()
    assert rows == [("Main Customer", 1), ("Room Customer", room.id)]
    click_slot(qtbot, page.day_view, "09:00–09:30")  # the booking's details say where
    assert page.details.fields["Resource"].text() == "Room 2"
    assert page.details.fields["Resource"].isVisible()
    window.close()
    again = make_window().desk_page  # the room this desk works with, remembered
    assert again.resource_combo.currentText() == "Room 2"
    assert again.day_view.day_model.index(0, 1).data() == "Room Customer"


def test_a_single_resource_needs_no_selector(qtbot: QtBot, make_window: MakeWindow) -> None:
    window = make_window()
    assert not window.desk_page.resource_combo.isVisible()
    click_slot(qtbot, window.desk_page.day_view, "09:00–09:30")
    assert window.desk_page.form.where is None  # nor a Resource row in the form
    window.desk.book(name="Ana", email="ana@example.com", start=NINE)
    window.refresh_all()
    click_slot(qtbot, window.desk_page.day_view, "09:00–09:30")
    assert not window.desk_page.details.fields["Resource"].isVisible()  # nothing to tell apart


def test_late_in_the_day_the_slots_still_to_come_are_in_view(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    """At 15:40 the list opens on 16:00, not on the morning's past slots; a refresh leaves it
    where the person scrolled it, and another day opens at its start."""
    clock.set(datetime(2026, 11, 30, 15, 40, tzinfo=UTC))
    window = make_window()
    window.resize(1100, 420)  # a short window: the day does not fit in the list
    view = window.desk_page.day_view
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    calendar = window.desk_page.calendar
    calendar.setSelectedDate(calendar.selectedDate().addDays(-1))  # Sunday: closed, no slots
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() == 0)  # laid out as empty
    calendar.setSelectedDate(calendar.selectedDate().addDays(1))
    model = view.day_model
    four = next(r for r in range(model.rowCount()) if model.index(r, 0).data().startswith("16:00"))
    assert view.rowAt(0) > 0 and view.viewport().rect().contains(
        view.visualRect(model.index(four, 1))
    )
    bar = view.verticalScrollBar()
    bar.setValue(1)  # the person scrolls back towards the morning
    window.refresh_all()
    assert bar.value() == 1
    calendar.setSelectedDate(calendar.selectedDate().addDays(1))
    assert view.rowAt(0) == 0  # Tuesday: nothing has begun


def test_a_day_loaded_before_the_list_is_shown_opens_at_its_next_slot(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    """At start-up the day is loaded before the window is shown, on a screen it may not fit."""
    clock.set(datetime(2026, 11, 30, 15, 40, tzinfo=UTC))
    desk = make_window().desk
    view = DayView(desk)
    qtbot.addWidget(view)
    view.load(date(2026, 11, 30), 1)
    view.resize(400, 200)
    with qtbot.waitExposed(view):
        view.show()
    model = view.day_model
    four = next(r for r in range(model.rowCount()) if model.index(r, 0).data().startswith("16:00"))
    assert view.rowAt(0) > 0  # the morning's past slots are scrolled away
    assert view.viewport().rect().contains(view.visualRect(model.index(four, 1)))


def test_bookings_made_under_other_hours_and_slot_length_still_show_at_their_times(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    """The clinic went from 45-minute sessions 08:00-19:00 to half-hours 09:00-17:00: the
    bookings made before stay on the desk, at their own times, none hidden."""
    before = Settings.load(
        data_dir=settings.data_dir,
        environ={
            **DESK_ENV,
            "TIMESYNCER_OPENING_HOURS": "mon-sat 08:00-19:00",
            "TIMESYNCER_SLOT_MINUTES": "45",
        },
        cwd=tmp_path,
    )
    with open_repository(before.db_url) as repo:  # type: ignore[attr-defined]
        old_desk = Desk(repo, before.schedule, clock)
        old_desk.book(name="Ann Early", email="ann@example.com", start=NINE - timedelta(minutes=15))
        old_desk.book(name="Bo Late", email="bo@example.com", start=NINE + timedelta(hours=8.75))
        saturday = NINE + timedelta(days=5, hours=-1)  # 08:00, before Saturday's 10:00 now
        old_desk.book(name="Cy Saturday", email="cy@example.com", start=saturday)
    window = make_window()
    page = window.desk_page
    model = page.day_view.day_model
    rows = [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]
    # Ann's 45 minutes hold the first half-hour, which shows her own times.
    assert rows[0] == ("08:45–09:30", "Ann Early")
    assert OFF_GRID in model.item(0, 1).toolTip()
    assert OFF_GRID not in model.item(1, 1).toolTip()
    assert rows[1] == ("09:30–10:00", "Free")
    # Bo's session, after the new closing time, has a row of its own at the end.
    assert len(rows) == 17
    assert rows[-1] == ("17:45–18:30", "Bo Late")
    assert OFF_GRID in model.item(16, 1).toolTip()
    click_slot(qtbot, page.day_view, "17:45–18:30")
    assert page.details.fields["When"].text() == "Mon 30 Nov 2026, 17:45–18:30"
    assert page.details.cancel_button.isEnabled()

    page.show_day(date(2026, 12, 5))  # Saturday: Cy comes before the new opening
    assert (model.index(0, 0).data(), model.index(0, 1).data()) == ("08:00–08:45", "Cy Saturday")
    assert model.index(1, 0).data() == "10:00–10:30"
    assert not page.day_title.text().endswith("closed")


def test_a_day_now_closed_still_shows_its_bookings(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    before = Settings.load(
        data_dir=settings.data_dir,
        environ={**DESK_ENV, "TIMESYNCER_OPENING_HOURS": "mon-sun 09:00-17:00"},
        cwd=tmp_path,
    )
    sunday = NINE + timedelta(days=6)
    with open_repository(before.db_url) as repo:  # type: ignore[attr-defined]
        Desk(repo, before.schedule, clock).book(
            name="Di Sunday", email="di@example.com", start=sunday
        )
    page = make_window().desk_page
    page.show_day(sunday.date())
    model = page.day_view.day_model
    assert page.day_title.text() == "Sunday 06 December 2026 · closed"
    shown = page.calendar.day_info(sunday.date())
    assert shown is not None and shown.describe() == "Closed (1 booking)"
    assert model.rowCount() == 1
    assert (model.index(0, 0).data(), model.index(0, 1).data()) == ("09:00–09:30", "Di Sunday")


def test_opened_on_a_closed_day_the_next_days_times_are_shown_whole(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    """A salon closed on Sundays, opened on a Sunday: Monday's times must not read "09…"."""
    clock.set(datetime(2026, 11, 29, 10, 0, tzinfo=UTC))
    window = make_window()
    page = window.desk_page
    assert page.day_view.day_model.rowCount() == 0  # Sunday: closed
    page.show_day(date(2026, 11, 30))
    view = page.day_view
    needed = view.fontMetrics().horizontalAdvance(view.day_model.index(0, 0).data())
    assert view.columnWidth(0) > needed
