"""Quit once a window has painted: how start-up is timed, installed or not."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class _QuitOnPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
        return False


def quit_after_first_paint(window: QWidget) -> None:
    """Let ``window`` paint once, then leave the event loop."""
    window.installEventFilter(_QuitOnPaint(window))
