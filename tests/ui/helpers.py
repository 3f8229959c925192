"""Small ways of driving widgets as a person does, shared by the window tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui.settings import Settings
from timesyncer_gui.storage import sqlite_path
from timesyncer_gui.ui.day_view import DayView

W = TypeVar("W")


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


def click_slot(qtbot: QtBot, view: DayView, label: str) -> None:
    """Click the row whose time reads ``label`` (e.g. ``09:00–09:30``)."""
    model = view.day_model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == label:
            rect = view.visualRect(model.index(row, 1))
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"no slot {label} in the day")


def when_open(find: Callable[[], W | None], act: Callable[[W], object]) -> None:
    """Do ``act`` on what ``find`` returns once it is there: a dialog or menu about to open
    runs its own event loop, so the test's next step comes from a timer inside it."""

    def attempt() -> None:
        found = find()
        if found is None:
            QTimer.singleShot(10, attempt)
            return
        act(found)

    QTimer.singleShot(0, attempt)


def answer_next_dialog(button_text: str, seen: list[str] | None = None) -> None:
    """Press ``button_text`` in the next modal dialog, as the person would."""

    def press(dialog: QWidget) -> None:
        if seen is not None:
            seen.append(dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle())
        for button in dialog.findChildren(QAbstractButton):
            if button.text() == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {dialog.windowTitle()!r}")

    when_open(QApplication.activeModalWidget, press)


def stored(settings: Settings, status: str = "booked") -> list[tuple[str, str, int]]:
    """What the database file holds, read with plain sqlite3 rather than the app's code."""
    with sqlite3.connect(sqlite_path(settings.db_url)) as conn:
        return conn.execute(
            "SELECT customer_name, customer_email, start_utc FROM bookings"
            " WHERE status = ? ORDER BY start_utc",
            (status,),
        ).fetchall()


def shown_tip(tip: str) -> str:
    """The text a person reads in a tooltip: Qt renders a tooltip that looks like markup as
    rich text."""
    from PySide6.QtGui import Qt as GuiQt  # mightBeRichText is QtGui's part of Qt
    from PySide6.QtGui import QTextDocument

    if not GuiQt.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()
