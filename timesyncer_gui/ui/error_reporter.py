"""Brings an error from any thread to the person, on the GUI thread, without blocking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # imported where a box is shown: the first paint never needs one
    from PySide6.QtWidgets import QMessageBox


class ErrorReporter(QObject):
    """``report(text)`` may be called from any thread; the message box opens on the GUI thread."""

    reported = Signal(str)

    def __init__(self, parent_window: QWidget) -> None:
        super().__init__(parent_window)
        self._window = parent_window
        self.last_box: QMessageBox | None = None
        # From another thread the signal arrives through the GUI thread's event loop; from the
        # GUI thread it arrives at once and the box waits for the loop, so neither opens it in
        # the middle of whatever failed.
        self.reported.connect(self._arrived)

    def report(self, text: str) -> None:
        self.reported.emit(text)

    @Slot(str)
    def _arrived(self, text: str) -> None:
        QTimer.singleShot(0, self, lambda: self._show(text))

    def _show(self, text: str) -> None:
        from PySide6.QtCore import Qt  # only once something failed: see painting.py
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Critical, "TimeSyncer", text, parent=self._window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # it may quote anything, even markup
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_box = box


def startup_error_box(text: str) -> QMessageBox:
    """The dialog shown when TimeSyncer cannot start (a bad setting, an unusable database)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, "TimeSyncer cannot start", text)
    box.setInformativeText("Fix the setting or file named above, then start TimeSyncer again.")
    return box
