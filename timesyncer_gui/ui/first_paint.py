"""Run something once a window has painted: start-up timing, and work the first paint does
not need (the mail notifier) started only after it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterPaint(QObject):
    def __init__(self, window: QWidget, action: Callable[[], object]) -> None:
        super().__init__(window)
        self._action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._action)
        return False


def after_first_paint(window: QWidget, action: Callable[[], object]) -> None:
    """Call ``action`` from the event loop right after ``window`` first paints."""
    window.installEventFilter(_AfterPaint(window, action))
