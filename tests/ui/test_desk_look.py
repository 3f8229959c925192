"""How the desk reads at a glance: free slots look free, Book looks like the action to take,
and the opening hours are written for people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel
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
