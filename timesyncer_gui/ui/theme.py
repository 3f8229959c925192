"""How the window marks text: errors, confirmations, titles and quiet hints.

Done with palettes and fonts rather than an application style sheet. A style sheet sends every
widget through QStyleSheetStyle, which cost a fifth of start-up here. Quiet text uses a palette
role, so it follows the system's light or dark scheme by itself; the error and "ok" colours have
a light-scheme and a dark-scheme shade (each readable on its scheme's background, WCAG AA), and
``follow_scheme`` applies them again when the scheme changes.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from .painting import solid

Tone = Literal["error", "ok", "plain"]
# (on a light background, on a dark one): at least 4.5:1 against the scheme's window colour.
_COLOURS = {
    "error": (QColor(198, 40, 40), QColor(255, 138, 128)),
    "ok": (QColor(27, 94, 32), QColor(129, 199, 132)),
}


def tone_colour(tone: Tone, palette: QPalette) -> QColor | None:
    """The colour of ``tone`` in ``palette``'s scheme; None for plain text."""
    shades = _COLOURS.get(tone)
    if shades is None:
        return None
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return shades[dark]


def set_tone(label: QLabel, tone: Tone) -> None:
    """Colour and weight for a message; ``kind`` is kept as a property for tests and tools."""
    label.setProperty("kind", tone)
    colour = tone_colour(tone, QApplication.palette(label))
    palette = QPalette()  # only what is set here is the label's own; the rest is inherited
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
    """Secondary text (counts, the time zone) in the scheme's placeholder colour."""
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)


def tone_brush(tone: Tone) -> QBrush:
    """The colour of a tone as a brush, for item models: "ok" marks what is free to take."""
    palette = QApplication.palette()
    colour = tone_colour(tone, palette)
    return solid(colour) if colour is not None else palette.text()


def make_primary(button: QPushButton) -> None:
    """The form's main action: the default button, filled with the highlight colour.

    Only the active and inactive groups change, so a disabled button still looks disabled.
    """
    button.setDefault(True)
    button.setProperty("primary", True)
    palette = QPalette()  # the scheme's own colours, set as the button's
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


def follow_scheme(root: QWidget) -> None:
    """Colour again what this module coloured under ``root``, after a change between the
    light and the dark scheme."""
    for label in root.findChildren(QLabel):
        tone = label.property("kind")
        if tone in ("error", "ok", "plain"):
            set_tone(label, tone)
    for button in root.findChildren(QPushButton):
        if button.property("primary"):
            make_primary(button)
