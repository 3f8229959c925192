"""Customer text shown in a label: as typed, never as markup, and never wider than its place.

A QLabel guesses whether its text is rich text, so a name typed as ``<b>Ann</b>`` would turn
bold and a link would become live. And a label will not break a word, so one long unbroken
name or address would widen the whole window. Text a customer or the desk typed goes through
``plain_text`` or into an ``ElidedLabel``.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QWidget

from .formatting import plain_tip


def plain_text(label: QLabel) -> QLabel:
    """Show ``label``'s text exactly as written."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class ElidedLabel(QLabel):
    """One line of plain text, cut with "…" to the width the layout gives it.

    The whole text is its tooltip and accessible description, so nothing is lost to a
    person hovering or to a screen reader, and its context menu copies it whole (an email
    address into a mail program, say), since text drawn cut cannot be selected.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plain_text(self)
        # Asks for its whole text's width, and makes do with a few characters' (see
        # minimumSizeHint): a dialog opens wide enough to show it, a narrow pane cuts it.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self.setToolTip(plain_tip(text))
        self.setAccessibleDescription(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height()
        )

    def is_elided(self) -> bool:
        """Whether the text is cut where it stands now."""
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def paintEvent(self, event: QPaintEvent) -> None:
        area = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, area.width()
        )
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(area, int(self.alignment().value), shown)

    def copy_text(self) -> None:
        """The whole text to the clipboard."""
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.text())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Copy", self.copy_text)
        menu.exec(event.globalPos())
        menu.deleteLater()
