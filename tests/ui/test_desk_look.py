"""How the desk reads at a glance: the opening hours are written for people."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from timesyncer_gui.ui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]


def test_the_status_bar_writes_the_opening_hours_for_people(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window()
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert "Europe/London · Mon–Fri 09:00–17:00; Sat 10:00–13:00" in texts
    assert not any("mon-fri" in text for text in texts)
