"""The Admin tab's filters wrap onto a second line when the window is narrow."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPushButton, QSizePolicy, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui.ui.flow_layout import FlowLayout


def row_of(qtbot: QtBot, *widgets: QWidget) -> QWidget:
    holder = QWidget()
    flow = FlowLayout(holder, spacing=6)
    flow.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        flow.addWidget(widget)
    qtbot.addWidget(holder)
    return holder


def show_at(holder: QWidget, width: int) -> None:
    """Shown as wide as ``width``, as tall as the layout asks at that width."""
    holder.resize(width, holder.heightForWidth(width))
    holder.show()


def fixed(text: str, width: int) -> QPushButton:
    button = QPushButton(text)
    button.setFixedWidth(width)
    return button


def test_items_share_a_line_while_they_fit(qtbot: QtBot) -> None:
    first, second, third = fixed("One", 100), fixed("Two", 100), fixed("Three", 100)
    holder = row_of(qtbot, first, second, third)
    show_at(holder, 400)
    qtbot.waitUntil(lambda: third.x() > 0)
    assert first.y() == second.y() == third.y()
    assert [first.x(), second.x(), third.x()] == [0, 106, 212]


def test_the_next_item_goes_onto_a_new_line_when_it_would_not_fit(qtbot: QtBot) -> None:
    first, second, third = fixed("One", 100), fixed("Two", 100), fixed("Three", 100)
    holder = row_of(qtbot, first, second, third)
    show_at(holder, 250)
    qtbot.waitUntil(lambda: third.y() > 0)
    assert first.y() == second.y() < third.y()
    assert third.x() == 0
    assert holder.layout().heightForWidth(250) > holder.layout().heightForWidth(400)


def test_it_can_be_as_narrow_as_its_widest_item(qtbot: QtBot) -> None:
    holder = row_of(qtbot, fixed("One", 100), fixed("Two", 180), fixed("Three", 100))
    assert holder.layout().minimumSize().width() == 180
    assert holder.layout().sizeHint().width() == 100 + 180 + 100 + 2 * 6


def test_an_expanding_item_takes_what_its_line_has_to_spare(qtbot: QtBot) -> None:
    search = QLineEdit()
    search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button = fixed("Go", 100)
    holder = row_of(qtbot, search, button)
    show_at(holder, 600)
    qtbot.waitUntil(lambda: button.x() > 0)
    assert button.x() + button.width() == 600  # the line is filled to its end
    assert search.width() == 600 - 6 - 100


def test_spacing_set_later_is_the_spacing_used(qtbot: QtBot) -> None:
    first, second = fixed("One", 100), fixed("Two", 100)
    holder = row_of(qtbot, first, second)
    holder.layout().setSpacing(20)
    show_at(holder, 400)
    qtbot.waitUntil(lambda: second.x() > 0)
    assert holder.layout().spacing() == 20
    assert second.x() == 120


def test_with_no_spacing_set_items_never_overlap(qtbot: QtBot) -> None:
    """The style's spacing, which some styles leave to each pair of controls (-1)."""
    first, second, third = fixed("One", 100), fixed("Two", 100), fixed("Three", 100)
    holder = QWidget()
    flow = FlowLayout(holder)
    for widget in (first, second, third):
        flow.addWidget(widget)
    qtbot.addWidget(holder)
    show_at(holder, 230)  # two on the first line, one below
    qtbot.waitUntil(lambda: third.y() > 0)
    assert flow.spacing() >= 0
    assert second.x() >= first.x() + first.width()
    assert third.y() >= first.y() + first.height()


def test_a_hidden_item_takes_no_room(qtbot: QtBot) -> None:
    wide, narrow = fixed("Wide", 300), fixed("Narrow", 100)
    holder = row_of(qtbot, wide, narrow)
    wide.hide()
    assert holder.layout().minimumSize().width() == 100
    assert holder.layout().sizeHint().width() == 100
