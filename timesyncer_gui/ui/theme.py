"""How the window marks text: errors, confirmations, titles and quiet hints.

Done with palettes and fonts rather than an application style sheet. A style sheet sends every
widget through QStyleSheetStyle, which cost a fifth of start-up here; palette roles also follow
the system's light or dark scheme without a second set of colours.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from .painting import solid

Tone = Literal["error", "ok", "plain"]
_COLOURS = {"error": QColor(211, 47, 47), "ok": QColor(46, 125, 50)}


def set_tone(label: QLabel, tone: Tone) -> None:
    """Colour and weight for a message; ``kind`` is kept as a property for tests and tools."""
    label.setProperty("kind", tone)
    palette = QApplication.palette(label)
    colour = _COLOURS.get(tone)
    if colour is not None:
        palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)
    font = label.font()
    font.setBold(tone != "plain")
    label.setFont(font)


def make_title(label: QLabel) -> None:
    """A panel's heading: bold and a little larger than the text beneath it."""
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.3)
    label.setFont(font)


def make_quiet(label: QLabel) -> None:
    """Secondary text (counts, the time zone) in the palette's placeholder colour."""
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)


def tone_brush(tone: Tone) -> QBrush:
    """The colour of a tone as a brush, for item models: "ok" marks what is free to take."""
    colour = _COLOURS.get(tone)
    return solid(colour) if colour is not None else QApplication.palette().text()


def make_primary(button: QPushButton) -> None:
    """The form's main action: the default button, filled with the highlight colour.

    Only the active and inactive groups change, so a disabled button still looks disabled.
    """
    button.setDefault(True)
    palette = button.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(
            group, QPalette.ColorRole.Button, palette.color(QPalette.ColorRole.Highlight)
        )
        palette.setColor(
            group, QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.HighlightedText)
        )
    button.setPalette(palette)
    font = button.font()
    font.setBold(True)
    button.setFont(font)
