"""Ctrl+Z in a text field that has no typing to undo undoes the last cancel instead.

A QLineEdit claims Ctrl+Z for its own undo even when it is empty, so the window's "Undo
cancel" never heard it while the form or the search box had focus, though the status bar
had just said "Ctrl+Z undoes it". Typing that can be undone still comes first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

if TYPE_CHECKING:
    from .desk_page import DeskPage


class UndoCancelFirst(QObject):
    """Watches every text field of ``window`` (and those added later, such as the Admin
    tab's search box) for Ctrl+Z."""

    def __init__(self, page: DeskPage, window: QObject) -> None:
        super().__init__(window)
        self._page = page
        self.watch(window)

    def watch(self, root: QObject) -> None:
        """Watch the text fields under ``root`` (watching one twice is harmless)."""
        for edit in root.findChildren(QLineEdit):
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Filtered out, the key is not claimed by the field, so the window's shortcut gets it.
        return (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(watched, QLineEdit)
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
            and not watched.isUndoAvailable()
            and self._page.last_cancelled is not None
        )
