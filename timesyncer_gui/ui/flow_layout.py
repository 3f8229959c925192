"""A row of controls that wraps onto further lines when the width runs out.

Qt has no such layout among its own, only an example of one (the Flow Layout example), which
this follows. The Admin tab's filters sit in one: on a desk's monitor they are one row, and
on a small laptop at 150% they take two lines rather than widening the window past the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    """Items left to right at their preferred widths, each line as tall as its tallest item
    and the others centred in it; a line is full when the next item would not fit. What a
    line has to spare goes to its items that expand horizontally."""

    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        left, top, right, bottom = self.getContentsMargins()
        visible = self._visible()
        width = sum(item.sizeHint().width() for item in visible)
        width += self._gap(Qt.Orientation.Horizontal) * max(len(visible) - 1, 0)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(width + left + right, height + top + bottom)

    def minimumSize(self) -> QSize:
        """As narrow as the widest single item: the rest can go onto lines of their own."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        left, top, right, bottom = self.getContentsMargins()
        return size + QSize(left + right, top + bottom)

    def setSpacing(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    def spacing(self) -> int:
        return self._gap(Qt.Orientation.Horizontal)

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gap(self, orientation: Qt.Orientation) -> int:
        """The spacing set, or else the style's (some styles, macOS's among them, leave it to
        each pair of controls, answering -1: then the gap between two buttons)."""
        if self._spacing >= 0:
            return self._spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        style = parent.style()
        horizontal = orientation == Qt.Orientation.Horizontal
        metric = (
            QStyle.PixelMetric.PM_LayoutHorizontalSpacing
            if horizontal
            else QStyle.PixelMetric.PM_LayoutVerticalSpacing
        )
        gap = style.pixelMetric(metric, None, parent)
        if gap >= 0:
            return gap
        button = QSizePolicy.ControlType.PushButton
        return max(style.layoutSpacing(button, button, orientation, None, parent), 0)

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the items out in ``rect`` (only measure unless ``place``); the height used."""
        left, top, right, bottom = self.getContentsMargins()
        area = rect.adjusted(left, top, -right, -bottom)
        gap = self._gap(Qt.Orientation.Horizontal)
        line_gap = self._gap(Qt.Orientation.Vertical)
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for item in self._visible():
            size = item.sizeHint().boundedTo(QSize(area.width(), item.sizeHint().height()))
            if lines[-1] and x + size.width() > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, size))
            x += size.width() + gap
        y = area.y()
        for line in lines:
            height = max((size.height() for _item, size in line), default=0)
            _share_spare_width(
                line, area.width() - sum(s.width() for _i, s in line) - gap * (len(line) - 1)
            )
            x = area.x()
            for item, size in line:
                if place:
                    offset = (height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(x, y + offset), size))
                x += size.width() + gap
            y += height + line_gap
        used = y - line_gap - area.y() if any(lines) else 0
        return used + top + bottom


def _share_spare_width(line: list[tuple[QLayoutItem, QSize]], spare: int) -> None:
    """Widen, in place, the line's horizontally expanding items by ``spare`` between them."""
    growing = [
        index
        for index, (item, _size) in enumerate(line)
        if item.expandingDirections() & Qt.Orientation.Horizontal
    ]
    if spare <= 0 or not growing:
        return
    for order, index in enumerate(growing):
        item, size = line[index]
        extra = spare // len(growing) + (1 if order < spare % len(growing) else 0)
        line[index] = (item, QSize(size.width() + extra, size.height()))
