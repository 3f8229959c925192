"""The first window, driven as a receptionist would: typing, clicking, reading the message."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QStandardItemModel
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui import BookingQuery, BookingRequest, open_repository
from timesyncer_gui.settings import Settings
from timesyncer_gui.storage import sqlite_path
from timesyncer_gui.ui.main_window import MainWindow

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

MakeWindow = Callable[..., MainWindow]


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type as a keyboard would; letters beyond ASCII arrive as key events carrying text,
    the way a keyboard layout or input method delivers them (QTest only knows ASCII)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                )


def stored(settings: Settings) -> list[tuple[str, str, int]]:
    """What the database file holds, read with plain sqlite3 rather than the app's code."""
    with sqlite3.connect(sqlite_path(settings.db_url)) as conn:
        return conn.execute(
            "SELECT customer_name, customer_email, start_utc FROM bookings"
            " WHERE status = 'booked' ORDER BY start_utc"
        ).fetchall()


def test_book_with_the_mouse(qtbot: QtBot, make_window: MakeWindow, settings: Settings) -> None:
    window = make_window()
    page = window.booking_page
    assert page.time_combo.currentText() == "09:00–09:30"

    qtbot.mouseClick(page.name_edit, Qt.MouseButton.LeftButton)
    type_text(qtbot, page.name_edit, "  José García ")
    qtbot.mouseClick(page.email_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.email_edit, "jose@example.com")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)

    assert page.message.text() == "Booked José García for Mon 30 Nov 2026, 09:00–09:30."
    assert stored(settings) == [("José García", "jose@example.com", int(NINE.timestamp()))]
    assert page.name_edit.text() == "" and page.email_edit.text() == ""
    assert window.focusWidget() is page.name_edit
    # The slot just booked can no longer be chosen, and the next free one is offered.
    model = page.time_combo.model()
    assert isinstance(model, QStandardItemModel)
    assert model.item(0).text() == "09:00–09:30  · booked"
    assert not model.item(0).isEnabled()
    assert page.time_combo.currentText() == "09:30–10:00"


def test_book_with_the_keyboard_alone(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.booking_page
    page.name_edit.setFocus()
    type_text(qtbot, page.name_edit, "李雷")
    qtbot.keyClick(page.name_edit, Qt.Key.Key_Tab)
    assert window.focusWidget() is page.email_edit
    qtbot.keyClicks(page.email_edit, "li.lei@example.cn")
    qtbot.keyClick(page.email_edit, Qt.Key.Key_Return)

    assert page.message.text().startswith("Booked 李雷 for Mon 30 Nov 2026, 09:00")
    assert stored(settings) == [("李雷", "li.lei@example.cn", int(NINE.timestamp()))]


def test_a_slot_taken_by_another_desk_is_refused_with_a_reason(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.booking_page
    assert page.time_combo.currentData() == NINE
    # Another desk books 09:00 after this window showed it as free.
    with open_repository(settings.db_url) as other:  # type: ignore[attr-defined]
        other.book(
            BookingRequest(
                "Amelia Watson", "amelia@example.org", NINE, NINE + timedelta(minutes=30)
            )
        )

    page.name_edit.setText("Priya Natarajan")
    page.email_edit.setText("priya@example.com")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)

    assert "already taken" in page.message.text()
    assert "Mon 30 Nov 2026 09:00 to 09:30" in page.message.text()
    assert page.message.property("kind") == "error"
    assert stored(settings) == [("Amelia Watson", "amelia@example.org", int(NINE.timestamp()))]
    # The day was refreshed: 09:00 now shows as booked and the form kept what was typed.
    assert page.time_combo.itemText(0).endswith("booked")
    assert page.time_combo.currentText() == "09:30–10:00"
    assert page.name_edit.text() == "Priya Natarajan"


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_written(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.booking_page

    page.email_edit.setText("someone@example.com")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "Please enter the customer's name."
    assert window.focusWidget() is page.name_edit

    page.name_edit.setText("Ana")
    page.email_edit.setText("ana at example.com")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("That email address is not valid.")
    assert window.focusWidget() is page.email_edit

    page.email_edit.setText("ana@example.com")
    page.name_edit.setText("Ana\nBcc: victim@example.com")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
    assert "line breaks" in page.message.text()

    assert stored(settings) == []


def test_the_admin_tab_lists_the_booking(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    window = make_window()
    page = window.booking_page
    page.name_edit.setText("Amelia Watson")
    page.email_edit.setText("amelia@example.org")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)

    window.tabs.setCurrentWidget(window.admin_page)
    model = window.admin_page.table.model()
    assert model is not None
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[1:7] == [
        "Amelia Watson",
        "amelia@example.org",
        "2026-11-30 09:00",
        "2026-11-30 09:30",
        "Main desk",
        "Booked",
    ]
    assert window.admin_page.summary.text() == "1 booking"

    # A booking made while the tab is open appears at once.
    window.tabs.setCurrentWidget(page)
    page.name_edit.setText("José García")
    page.email_edit.setText("jose@example.com")
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 2
    assert window.admin_page.summary.text() == "2 bookings"


def test_admin_table_pages_through_many_bookings(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        for i in range(450):
            start = NINE + timedelta(days=i)
            repo.book(
                BookingRequest(
                    f"Customer {i}", f"c{i}@example.com", start, start + timedelta(minutes=30)
                )
            )
        assert repo.count_bookings(BookingQuery()) == 450
    window = make_window()
    window.tabs.setCurrentWidget(window.admin_page)
    table = window.admin_page.table
    model = table.model()
    assert model.rowCount() < 450  # only the first page was read
    assert model.index(0, 1).data() == "Customer 449"  # newest start first
    table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200)
    while model.canFetchMore(table.rootIndex()):
        model.fetchMore(table.rootIndex())
    assert model.rowCount() == 450
    assert window.admin_page.summary.text() == "450 bookings"

    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert model.index(0, 1).data() == "Customer 0"
    assert model.index(1, 1).data() == "Customer 1"


def test_a_locked_database_shows_a_message_and_the_window_stays_usable(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    repository = open_repository(settings.db_url, busy_timeout=0.2)
    window = make_window(repository=repository)
    page = window.booking_page
    blocker = sqlite3.connect(sqlite_path(settings.db_url), isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")
        page.name_edit.setText("Ana")
        page.email_edit.setText("ana@example.com")
        qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
        assert "in use by another program" in page.message.text()
        assert page.name_edit.text() == "Ana"  # nothing typed is lost
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.mouseClick(page.book_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("Booked Ana")
    assert len(stored(settings)) == 1
    repository.close()


def test_inputs_have_accessible_names_equal_to_their_labels(make_window: MakeWindow) -> None:
    window = make_window()
    page = window.booking_page
    form_labels = {
        label.text(): label.buddy()
        for label in page.findChildren(QLabel)
        if label.buddy() is not None
    }
    assert set(form_labels) >= {"Name", "Email", "Date", "Time"}
    for text, field in form_labels.items():
        assert field.accessibleName() == text
    assert page.book_button.accessibleName() == page.book_button.text() == "Book"
    assert window.windowTitle() == "TimeSyncer"
    assert not window.windowIcon().isNull()
