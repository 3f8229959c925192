"""Solid brushes, fills and outlines drawn without PySide6's ``Qt`` namespace.

The first time anything uses ``PySide6.QtCore.Qt``, PySide6 turns all 93 of its C++ enums into
Python enums, about 27 ms here, a tenth of what a bare window takes to start. Calls whose
overloads accept one of those enums pay it too, even when given something else:
``QBrush(colour)``, ``QColor(colour)``, ``painter.fillRect``, ``painter.setPen`` and
``painter.setBrush`` all do. The window's first paint draws through these helpers instead,
which reach the same pixels through calls that have no such overloads (``fillPath``,
``strokePath``, a palette's brush). ``tests/ui/test_first_paint.py`` keeps it that way.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPalette, QPen


def solid(colour: QColor) -> QBrush:
    """``QBrush(colour)``, made by a palette."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, colour)
    return palette.brush(QPalette.ColorRole.Base)


def _box(rect: QRect) -> QPainterPath:
    path = QPainterPath()
    path.addRect(QRectF(rect))
    return path


def fill(painter: QPainter, rect: QRect, colour: QColor) -> None:
    """``painter.fillRect(rect, colour)``."""
    painter.fillPath(_box(rect), solid(colour))


def outline(painter: QPainter, rect: QRect, colour: QColor, width: float = 1) -> None:
    """``rect``'s edges in ``colour``, ``width`` pixels wide, centred on them as a pen draws."""
    painter.strokePath(_box(rect), QPen(solid(colour), width))


def hatch(painter: QPainter, rect: QRect, colour: QColor, spacing: int = 8) -> None:
    """Thin lines rising left to right across ``rect``, as ``Qt.BrushStyle.BDiagPattern``."""
    lines = QPainterPath()
    left, top, bottom = rect.left(), rect.top(), rect.bottom() + 1
    height = bottom - top
    for x in range(left - height, rect.right() + 1, spacing):
        lines.moveTo(x, bottom)
        lines.lineTo(x + height, top)
    painter.save()
    painter.setClipRect(rect)
    painter.strokePath(lines, QPen(solid(colour), 1))
    painter.restore()
