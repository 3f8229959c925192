"""The Admin tab on a seeded database: listing, paging, sorting, searching, filtering."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.logging import QtLoggingPlugin
from pytestqt.qtbot import QtBot

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.settings import Settings
from timesyncer_gui.ui import bookings_model
from timesyncer_gui.ui.bookings_model import COLUMNS
from timesyncer_gui.ui.main_window import MainWindow

from .helpers import click_slot

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
MakeWindow = Callable[..., MainWindow]


def column(window: MainWindow, index: int) -> list[str]:
    model = window.admin_page.table.model()
    return [model.index(row, index).data() for row in range(model.rowCount())]


@pytest.fixture
def seeded(settings: Settings) -> Settings:
    """450 bookings on consecutive days, every tenth one cancelled, three named people."""
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        for i in range(450):
            start = NINE + timedelta(days=i)
            booking = repo.book(
                BookingRequest(
                    f"Customer {i:03d}", f"c{i:03d}@example.com", start, start + HALF_HOUR
                )
            )
            if i % 10 == 0:
                repo.cancel(booking.id)
        for name, email, day in (
            ("Amelia Watson", "amelia@example.org", 1),
            ("José García", "jose@garcia.example", 2),
            ("amelia Park", "park@example.net", 3),
        ):
            start = NINE + timedelta(days=day, hours=2)
            repo.book(BookingRequest(name, email, start, start + HALF_HOUR))
    return settings


def open_admin(qtbot: QtBot, make_window: MakeWindow) -> MainWindow:
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.admin_tab
    # The page is built on first use and shown by the next turn of the event loop.
    qtbot.waitUntil(window.admin_page.isVisible, timeout=2000)
    return window


def click_row(qtbot: QtBot, table: QTableView, customer: str) -> None:
    """Click the row whose Customer reads ``customer``, as a person picks a booking."""
    model = table.model()
    for row in range(model.rowCount()):
        if model.index(row, 1).data() == customer:
            rect = table.visualRect(model.index(row, 1))
            assert table.viewport().rect().contains(rect.center()), f"{customer} is off screen"
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"no row for {customer} among the loaded rows")


def current_customer(table: QTableView) -> str | None:
    """The customer on the row the cursor is on, and the only selected row."""
    current = table.currentIndex()
    selected = [index.row() for index in table.selectionModel().selectedRows()]
    assert selected == ([current.row()] if current.isValid() else []), selected
    return table.model().index(current.row(), 1).data() if current.isValid() else None


def click_header(qtbot: QtBot, table: QTableView, column: int) -> None:
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


@contextmanager
def bookings_unreadable(window: MainWindow) -> Iterator[None]:
    """SQLite refuses every read of the bookings table while inside, a real database error
    that reaches the window through the repository's own error handling."""
    connection = window.desk.repository._conn  # type: ignore[attr-defined]

    def authorize(action: int, table: str | None, *_rest: object) -> int:
        refused = action == sqlite3.SQLITE_READ and table == "bookings"
        return sqlite3.SQLITE_DENY if refused else sqlite3.SQLITE_OK

    connection.set_authorizer(authorize)
    try:
        yield
    finally:
        connection.set_authorizer(None)


def test_the_admin_tab_lists_bookings_and_shows_new_ones_at_once(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    page.form.name_edit.setText("Amelia Watson")
    page.form.email_edit.setText("amelia@example.org")
    qtbot.mouseClick(page.form.book_button, Qt.MouseButton.LeftButton)

    window.tabs.setCurrentWidget(window.admin_tab)
    model = window.admin_page.table.model()
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
    assert window.admin_page.summary.text() == "1 upcoming booking"

    window.tabs.setCurrentWidget(page)
    click_slot(qtbot, page.day_view, "09:30–10:00")
    page.form.name_edit.setText("José García")
    page.form.email_edit.setText("jose@example.com")
    qtbot.mouseClick(page.form.book_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 2
    assert window.admin_page.summary.text() == "2 upcoming bookings"


def test_pages_arrive_as_the_table_scrolls(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    table = window.admin_page.table
    model = table.model()
    assert model.rowCount() < 453  # only the first page was read
    assert model.index(0, 1).data() == "Customer 000"  # soonest first
    assert window.admin_page.summary.text() == "453 upcoming bookings"
    for _ in range(5):
        table.scrollToBottom()
        qtbot.wait(10)
    assert model.rowCount() == 453


def test_sorting_by_a_column_is_done_by_the_database(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    table = window.admin_page.table
    table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    names = column(window, 1)
    assert names[:3] == ["amelia Park", "Amelia Watson", "Customer 000"]  # case ignored
    table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert column(window, 1)[0] == "José García"
    table.sortByColumn(6, Qt.SortOrder.DescendingOrder)
    assert column(window, 6)[0] == "Cancelled"


def test_a_re_sort_reads_one_page_once(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    """QTableView.sortByColumn asks the model to sort twice; the database is asked once."""
    window = open_admin(qtbot, make_window)
    statements: list[str] = []
    connection = window.desk.repository._conn  # type: ignore[attr-defined]
    connection.set_trace_callback(statements.append)
    try:
        window.admin_page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    finally:
        connection.set_trace_callback(None)
    pages = [s for s in statements if s.startswith("SELECT id,") and " LIMIT " in s]
    assert len(pages) == 1, pages
    assert "ORDER BY customer_email COLLATE NOCASE ASC" in pages[0]


def test_search_is_debounced_and_matches_name_or_email(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.search_edit, "amelia")
    assert page.model is not None and page.model.total == 453  # not yet: still typing
    qtbot.waitUntil(lambda: page.summary.text() == "2 matching bookings", timeout=2000)
    assert sorted(column(window, 1)) == ["Amelia Watson", "amelia Park"]

    page.search_edit.setText("garcia.example")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert column(window, 1) == ["José García"]

    page.search_edit.setText("100%_")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert page.summary.text() == "0 matching bookings"


def test_a_name_typed_without_its_accents_is_found(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    qtbot.keyClicks(page.search_edit, "jose garcia")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert column(window, 1) == ["José García"]
    assert page.summary.text() == "1 matching booking"


def test_status_and_date_filters_narrow_the_rows_and_the_count(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    page.status_combo.setCurrentIndex(page.status_combo.findText("Cancelled"))
    assert page.summary.text() == "45 matching bookings"
    assert set(column(window, 6)) == {"Cancelled"}

    page.status_combo.setCurrentIndex(page.status_combo.findText("Booked"))
    page.from_edit.setDate(QDate(2026, 12, 1))
    page.to_edit.setDate(QDate(2026, 12, 3))
    # 1, 2 and 3 December: Customers 001-003 and the three named bookings.
    assert page.summary.text() == "6 matching bookings"
    assert all(start.startswith("2026-12-0") for start in column(window, 3))


def test_double_click_opens_the_booking_at_the_desk(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    page.search_edit.setText("José")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    table = page.table
    rect = table.visualRect(table.model().index(0, 1))
    # A real double-click: press and release, then the double-click event.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    desk = window.desk_page
    assert window.tabs.currentWidget() is desk
    assert desk.day_title.text() == "Wednesday 02 December 2026"
    assert desk.panel.currentWidget() is desk.details
    assert desk.details.fields["Customer"].text() == "José García"


def test_a_change_elsewhere_keeps_the_admin_table_where_it_was_scrolled(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    table = window.admin_page.table
    model = table.model()
    while model.rowCount() < 400:
        model.fetchMore(table.rootIndex())
    table.scrollTo(model.index(350, 0))
    position = table.verticalScrollBar().value()
    assert position > 0
    window.desk.book(
        name="Late Addition", email="late@example.com", start=NINE + timedelta(hours=3)
    )
    window.refresh_all()
    assert model.rowCount() >= 400
    assert table.verticalScrollBar().value() == position
    assert window.admin_page.summary.text() == "454 upcoming bookings"


def test_the_tab_opens_on_upcoming_bookings_soonest_first_and_all_dates_is_one_click(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    """A front desk asks about today and what comes next; the history is one click away."""
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        for days, name in ((-30, "Last month"), (-1, "Yesterday"), (0, "This morning")):
            start = NINE + timedelta(days=days)
            repo.book(BookingRequest(name, "x@example.com", start, start + HALF_HOUR))
        for days in (40, 2, 9):  # booked in no particular order
            start = NINE + timedelta(days=days)
            repo.book(BookingRequest(f"In {days} days", "x@example.com", start, start + HALF_HOUR))
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    header = page.table.horizontalHeader()
    assert COLUMNS[header.sortIndicatorSection()][0] == "start"
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert column(window, 1) == ["This morning", "In 2 days", "In 9 days", "In 40 days"]
    assert page.from_edit.date() == QDate(2026, 11, 30)  # today, by the desk's clock
    assert page.summary.text() == "4 upcoming bookings"
    assert not page.upcoming_button.isEnabled() and page.all_dates_button.isEnabled()

    qtbot.mouseClick(page.all_dates_button, Qt.MouseButton.LeftButton)
    assert column(window, 1) == [
        "Last month",
        "Yesterday",
        "This morning",
        "In 2 days",
        "In 9 days",
        "In 40 days",
    ]
    assert page.from_edit.date() == page.from_edit.minimumDate()  # shown as "Any"
    assert page.summary.text() == "6 bookings"
    assert page.upcoming_button.isEnabled() and not page.all_dates_button.isEnabled()

    qtbot.mouseClick(page.upcoming_button, Qt.MouseButton.LeftButton)
    assert column(window, 1)[0] == "This morning"
    assert page.summary.text() == "4 upcoming bookings"


def test_upcoming_counts_from_the_day_the_desk_is_on(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings, clock: FixedClock
) -> None:
    """Left open overnight, Upcoming moves on to the new day when pressed."""
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        for days in (0, 1, 2):
            start = NINE + timedelta(days=days)
            repo.book(BookingRequest(f"Day {days}", "x@example.com", start, start + HALF_HOUR))
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    assert page.summary.text() == "3 upcoming bookings"
    clock.advance(timedelta(days=1))
    page.refresh()
    assert page.summary.text() == "3 matching bookings"  # still from yesterday: it says so
    assert page.upcoming_button.isEnabled()
    qtbot.mouseClick(page.upcoming_button, Qt.MouseButton.LeftButton)
    assert column(window, 1) == ["Day 1", "Day 2"]
    assert page.summary.text() == "2 upcoming bookings"


def test_a_pasted_search_of_only_blanks_and_nul_lists_every_booking(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is searched for, so nothing is capped: the exact count, not "100+"."""
    monkeypatch.setattr(bookings_model, "COUNT_CAP", 100)
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    page.all_dates_button.click()
    page.search_edit.setText(" \0 ")
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    assert page.summary.text() == "453 bookings"
    assert page.model is not None and page.model.rowCount() > 100


def test_the_chosen_booking_stays_chosen_when_another_desk_books(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    """The poll reloads the table; the person keeps their place and their booking."""
    window = open_admin(qtbot, make_window)
    table = window.admin_page.table
    model = table.model()
    for _ in range(3):
        table.scrollToBottom()  # each time, the next page arrives
        qtbot.wait(10)
    table.scrollTo(model.index(300, 0), QTableView.ScrollHint.PositionAtTop)
    position = table.verticalScrollBar().value()
    assert position > 0
    middle = table.rowAt(table.viewport().height() // 2)
    chosen, below = (model.index(row, 1).data() for row in (middle, middle + 1))
    click_row(qtbot, table, chosen)
    assert current_customer(table) == chosen

    with open_repository(seeded.db_url) as other:  # type: ignore[attr-defined]
        start = NINE + timedelta(hours=1)  # this morning: a row above every one on screen
        other.book(BookingRequest("Early Bird", "early@example.com", start, start + HALF_HOUR))
    qtbot.waitUntil(
        lambda: window.admin_page.summary.text() == "454 upcoming bookings", timeout=3000
    )
    assert current_customer(table) == chosen
    assert table.verticalScrollBar().value() == position
    assert table.viewport().rect().contains(table.visualRect(table.currentIndex()))
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert current_customer(table) == below


def test_from_after_to_is_said_next_to_the_dates_not_counted_as_no_bookings(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    # To: one step up from "Any" (today, 30 November, like From).
    qtbot.mouseClick(page.to_edit, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)
    # From: 10, then a month on: 10 December, after To.
    qtbot.mouseClick(page.from_edit, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    qtbot.keyClicks(page.from_edit, "10")
    qtbot.keyClick(page.from_edit, Qt.Key.Key_Up)
    assert page.from_edit.text() == "10 Dec 2026"

    assert page.summary.text() == ""  # not "0 matching bookings": the range is the reason
    assert page.range_message.isVisible()
    assert page.range_message.text() == "The From date is after the To date."
    assert page.range_message.property("kind") == "error"

    qtbot.keyClick(page.from_edit, Qt.Key.Key_Down)  # back to 10 November
    assert page.from_edit.text() == "10 Nov 2026"
    assert not page.range_message.isVisible()
    assert page.summary.text() == "1 matching booking"  # the first booking is on 30 November


def test_the_range_message_has_its_own_line_and_the_search_keeps_its_width(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    """The message has a line of its own, so the search box keeps room for a name."""
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    window.resize(window.minimumSizeHint().width(), window.height())  # the narrowest it gets
    page.to_edit.setFocus()
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Up)  # today, like From
    qtbot.keyClick(page.to_edit, Qt.Key.Key_Down)  # the day before From
    assert page.range_message.isVisible()
    qtbot.wait(20)  # let the layout settle

    search = page.search_edit
    typed = "Amelia Watson-Parker"  # twenty characters, read whole
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(search, typed)
    qtbot.keyClick(search, Qt.Key.Key_Home)
    search.repaint()  # a line edit scrolls its text as it paints
    first = search.cursorRect().center().x()
    qtbot.keyClick(search, Qt.Key.Key_End)
    search.repaint()
    shown = search.cursorRect().center().x() - first  # less than all of it if scrolled
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert shown >= search.fontMetrics().horizontalAdvance(typed) - 1

    # The message sits under the fields, whole, and overlaps none of them.
    message = page.range_message.geometry()
    for field in (search, page.status_combo, page.from_edit, page.to_edit):
        assert field.geometry().bottom() < message.top()
    assert message.height() >= page.range_message.heightForWidth(message.width())


def test_a_database_error_while_sorting_is_shown_and_the_header_matches_the_rows(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings, qtlog: QtLoggingPlugin
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    table = page.table
    header = table.horizontalHeader()
    before = column(window, 1)[:3]
    assert before == ["Customer 000", "Customer 001", "Amelia Watson"]  # by Start

    with bookings_unreadable(window):
        click_header(qtbot, table, 1)  # Customer
    assert page.message.isVisible()
    assert page.message.text().startswith("Could not sort the bookings. The booking database")
    assert "prohibited" in page.message.text()
    assert COLUMNS[header.sortIndicatorSection()][0] == "start"
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert column(window, 1)[:3] == before
    assert page.summary.text() == "453 upcoming bookings"
    assert not [r for r in qtlog.records if "ResetModel" in r.message]

    click_header(qtbot, table, 1)  # the database reads again: the same click now sorts
    assert COLUMNS[header.sortIndicatorSection()][0] == "customer"
    assert column(window, 1)[:2] == ["amelia Park", "Amelia Watson"]
    assert not page.message.isVisible()


def test_a_database_error_while_searching_is_shown_and_f5_tries_the_search_again(
    qtbot: QtBot, make_window: MakeWindow, seeded: Settings, qtlog: QtLoggingPlugin
) -> None:
    window = open_admin(qtbot, make_window)
    page = window.admin_page
    with bookings_unreadable(window):
        qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(page.search_edit, "amelia")
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
        page.status_combo.setCurrentIndex(page.status_combo.findText("Cancelled"))
        assert not [r for r in qtlog.records if "ResetModel" in r.message]
        assert page.message.isVisible()
        assert page.message.text().startswith("Could not update the list. The booking database")
        # The rows and their count are still the ones from before, and say so together.
        assert page.summary.text() == "453 upcoming bookings"
        assert column(window, 1)[0] == "Customer 000"

    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert not page.message.isVisible()
    assert page.summary.text() == "0 matching bookings"  # no Amelia is cancelled
    page.status_combo.setCurrentIndex(page.status_combo.findText("All"))
    assert sorted(column(window, 1)) == ["Amelia Watson", "amelia Park"]
