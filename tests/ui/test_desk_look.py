"""How the desk reads at a glance: free slots look free, Book looks like the action to take,
and the opening hours are written for people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.ui.main_window import MainWindow

from .helpers import click_slot

NINE = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
MakeWindow = Callable[..., MainWindow]


def test_free_slots_read_as_available_and_booked_ones_stand_apart(
    qtbot: QtBot, make_window: MakeWindow, clock: FixedClock
) -> None:
    window = make_window()
    window.desk.book(name="Ana Souza", email="ana@example.com", start=NINE + timedelta(hours=1))
    clock.set(NINE + timedelta(minutes=15))  # 09:00 has begun; 09:30 is still ahead
    window.refresh_all()
    view = window.desk_page.day_view
    model = view.day_model
    past, free, booked = (model.index(row, 1) for row in (0, 1, 2))
    assert (past.data(), free.data(), booked.data()) == ("Past", "Free", "Ana Souza")

    text = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    disabled = view.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    free_colour = free.data(Qt.ItemDataRole.ForegroundRole).color()
    # Free is written in the calendar's green, in the normal weight: not greyed out.
    assert free_colour not in (text, disabled)
    assert free_colour.green() > free_colour.red() + 40
    assert free.data(Qt.ItemDataRole.FontRole) is None
    # A booked slot: the name in bold, in the ordinary text colour.
    assert booked.data(Qt.ItemDataRole.FontRole).bold()
    assert booked.data(Qt.ItemDataRole.ForegroundRole) is None
    # A slot that has gone by cannot be booked, and looks it.
    assert past.data(Qt.ItemDataRole.ForegroundRole).color() == disabled

    # And on screen: the "Free" cell has green text, the booked cell none.
    def green_pixels(index: object) -> int:
        image = view.viewport().grab(view.visualRect(index)).toImage()  # type: ignore[arg-type]
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if (c := image.pixelColor(x, y)).green() > c.red() + 40
        )

    view.clearSelection()
    assert green_pixels(free) > 10
    assert green_pixels(booked) == 0


def test_book_is_the_forms_default_button_and_looks_it(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    form = window.desk_page.form
    button = form.book_button
    assert not button.isEnabled()  # no slot chosen yet: it looks unavailable, not primary
    click_slot(qtbot, window.desk_page.day_view, "09:00–09:30")
    assert button.isEnabled() and button.isDefault()
    palette = button.palette()
    assert palette.color(QPalette.ColorRole.Button) == palette.color(QPalette.ColorRole.Highlight)
    assert palette.color(QPalette.ColorRole.ButtonText) == palette.color(
        QPalette.ColorRole.HighlightedText
    )
    assert palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button) != palette.color(
        QPalette.ColorRole.Highlight
    )
    assert button.font().bold()
    # Rendered: the button is filled with the highlight colour, not the window's grey.
    image = button.grab().toImage()
    centre = image.pixelColor(image.width() // 4, image.height() // 2)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    assert abs(centre.hue() - highlight.hue()) < 20 and centre.saturation() > 80


def test_the_status_bar_writes_the_opening_hours_for_people(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert "Europe/London · Mon–Fri 09:00–17:00; Sat 10:00–13:00" in texts
    assert not any("mon-fri" in text for text in texts)


def contrast(one: QColor, other: QColor) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(v) for v in (colour.redF(), colour.greenF(), colour.blueF()))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def dark_palette() -> QPalette:
    palette = QPalette(QColor(53, 53, 53))  # a dark scheme's window colour and its derivatives
    for role, colour in (
        (QPalette.ColorRole.Base, QColor(42, 42, 42)),
        (QPalette.ColorRole.Text, QColor(230, 230, 230)),
        (QPalette.ColorRole.WindowText, QColor(230, 230, 230)),
        (QPalette.ColorRole.PlaceholderText, QColor(160, 160, 160)),
        (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
    ):
        palette.setColor(role, colour)
    return palette


def test_a_switch_to_the_dark_scheme_keeps_every_message_readable(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    page = window.desk_page
    click_slot(qtbot, page.day_view, "09:00–09:30")
    page.form.submit()  # no name: an error under the field
    error = page.form._errors["name"]
    light = QApplication.palette()
    try:
        QApplication.setPalette(dark_palette())
        qtbot.wait(10)
        background = window.palette().color(QPalette.ColorRole.Window)
        zone = window.statusBar().findChildren(QLabel)[-1]
        pairs = {
            "error": error.palette().color(QPalette.ColorRole.WindowText),
            "time zone": zone.palette().color(zone.foregroundRole()),
            "Book": page.form.book_button.palette().color(QPalette.ColorRole.Button),
        }
        assert contrast(pairs["error"], background) >= 4.5
        assert contrast(pairs["time zone"], background) >= 4.5
        assert pairs["Book"] == QColor(42, 130, 218)  # the dark scheme's highlight
        base = page.day_view.palette().color(QPalette.ColorRole.Base)
        free = page.day_view.day_model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole).color()
        assert contrast(free, base) >= 4.5
    finally:
        QApplication.setPalette(light)
    # And back in the light scheme, the error is readable there again.
    qtbot.wait(10)
    background = window.palette().color(QPalette.ColorRole.Window)
    colour = error.palette().color(QPalette.ColorRole.WindowText)
    assert contrast(colour, background) >= 4.5
