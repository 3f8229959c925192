"""The Admin table's tooltips show customer text exactly as it was typed."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QModelIndex
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QTableView, QToolTip
from pytestqt.qtbot import QtBot

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.settings import Settings
from timesyncer_gui.ui.bookings_model import COLUMNS

from .helpers import shown_tip
from .test_admin import HALF_HOUR, MakeWindow, open_admin

# Names a person might really type, and ones that look like markup to Qt.
NAMES = ("<b>Ann</b> <ann@example.org>", "Tom & <i>Jerry</i>", 'O\'Brien  <3  "Jo"')
TEN = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def hover(qtbot: QtBot, table: QTableView, index: QModelIndex) -> str:
    """Rest the pointer on a cell and read the tooltip that appears, as a person would."""
    QToolTip.hideText()
    viewport = table.viewport()
    position = table.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, position, viewport.mapToGlobal(position))
    QApplication.sendEvent(viewport, event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    return QToolTip.text()


def test_a_customer_name_that_looks_like_markup_is_shown_as_typed_in_its_tooltip(
    qtbot: QtBot, make_window: MakeWindow, settings: Settings
) -> None:
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        for hour, name in enumerate(NAMES):
            start = TEN.replace(hour=10 + hour)
            repo.book(BookingRequest(name, f"p{hour}@example.org", start, start + HALF_HOUR))
    window = open_admin(qtbot, make_window)
    table = window.admin_page.table
    model = table.model()
    customer = next(i for i, (key, _title) in enumerate(COLUMNS) if key == "customer")
    email = next(i for i, (key, _title) in enumerate(COLUMNS) if key == "email")
    for row, name in enumerate(NAMES):
        assert model.index(row, customer).data() == name
        assert shown_tip(hover(qtbot, table, model.index(row, customer))) == name
        address = f"p{row}@example.org"
        assert shown_tip(hover(qtbot, table, model.index(row, email))) == address
    QToolTip.hideText()
