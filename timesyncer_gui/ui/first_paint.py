"""Run something once a window has painted: start-up timing, and work the first paint does
not need (the mail notifier) started only after it.

A window shown minimized, or on a workspace nobody is looking at, is not painted until it is
looked at; work that must not wait that long also runs a little after the window is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# Long after any first paint here (a few hundred milliseconds), short for the mail it delays.
AT_LATEST_MS = 3000


class _AfterPaint(QObject):
    def __init__(
        self, window: QWidget, action: Callable[[], object], at_latest_ms: int | None
    ) -> None:
        super().__init__(window)
        self._action = action
        self._at_latest_ms = at_latest_ms
        self._fallback: QTimer | None = None
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint:
            self._run()
        elif kind == QEvent.Type.Show and self._at_latest_ms is not None:
            if self._fallback is None:
                self._fallback = QTimer(self, singleShot=True, timeout=self._run)
            self._fallback.start(self._at_latest_ms)
        elif kind == QEvent.Type.Hide and self._fallback is not None:
            self._fallback.stop()  # a window closed before painting starts nothing
        return False

    def _run(self) -> None:
        """Once: the window no longer needs watching, and the action runs from the loop."""
        if self._done:
            return
        self._done = True
        window = self.parent()
        if isinstance(window, QWidget):
            window.removeEventFilter(self)
        if self._fallback is not None:
            self._fallback.stop()
        QTimer.singleShot(0, self._action)


def after_first_paint(
    window: QWidget, action: Callable[[], object], *, at_latest_ms: int | None = AT_LATEST_MS
) -> None:
    """Call ``action`` from the event loop right after ``window`` first paints, or
    ``at_latest_ms`` after it is shown if it has not painted by then (None: only on a paint,
    for timing it)."""
    window.installEventFilter(_AfterPaint(window, action, at_latest_ms))
