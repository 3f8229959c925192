"""A booking's notes: free text of any length, read in place."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetricsF, QPalette, QResizeEvent, QShowEvent, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget

_LINES = 4  # shown at once when they do not fit on one line; more scroll


class NotesView(QPlainTextEdit):
    """Read-only notes that wrap to the panel's width, breaking even a long unbroken word
    (an address), take one line or a few and scroll for the rest, and can be selected and
    copied. A label would cut them off without a sign, or widen the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundRole(QPalette.ColorRole.Window)
        self.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.document().setDocumentMargin(0)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._lines = 1

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)
        self._fit()

    def _fit(self) -> None:
        """One line if the notes fit on one at this width, else a few.

        Measured as the text is laid out, at fractions of a pixel: in whole pixels a note a
        third of a pixel too long would be given one line, and its last word would wrap out
        of sight."""
        text = self.toPlainText()
        width = self.viewport().width() or self.width()
        advance = QFontMetricsF(self.font()).horizontalAdvance(text)
        one = "\n" not in text and advance <= width
        lines = 1 if one else _LINES
        if lines != self._lines:
            self._lines = lines
            self.updateGeometry()
        # A line that fits exactly is all there: Qt's scroll range would still offer it a bar.
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if one else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        """Notes set while the panel was hidden were laid out at the whole width, and when the
        scroll bar then takes its share Qt does not lay them out again: the first line's end
        would sit under the bar. Qt lays the text out afresh when the wrap mode changes."""
        super().showEvent(event)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def sizeHint(self) -> QSize:
        # Lines are laid out at fractions of a pixel: at 150% a line can be a third of a pixel
        # taller than what fontMetrics() rounds it to, and that third would be cut off.
        line = QFontMetricsF(self.font()).lineSpacing()
        height = math.ceil(line * self._lines) + 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self.sizeHint().height())
