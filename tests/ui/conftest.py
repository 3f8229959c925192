"""Fixtures for driving the real main window offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from timesyncer_gui.app import create_main_window
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.settings import Settings
from timesyncer_gui.ui.main_window import MainWindow

# Monday 30 November 2026, 08:00 in London (GMT, so also 08:00 UTC): the desk has just opened.
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
DESK_ENV = {
    "TIMESYNCER_TIMEZONE": "Europe/London",
    "TIMESYNCER_OPENING_HOURS": "mon-fri 09:00-17:00; sat 10:00-13:00",
    "TIMESYNCER_SLOT_MINUTES": "30",
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.load(data_dir=tmp_path / "desk", environ=DESK_ENV, cwd=tmp_path)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def make_window(
    qtbot: QtBot, settings: Settings, clock: FixedClock
) -> Iterator[Callable[..., MainWindow]]:
    """Builds the real main window, shown offscreen; every window is closed afterwards."""
    windows: list[MainWindow] = []

    def make(**kwargs: object) -> MainWindow:
        chosen = kwargs.pop("settings", settings)
        window = create_main_window(chosen, clock=clock, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        with qtbot.waitExposed(window):
            window.show()
        with qtbot.waitActive(window):
            window.activateWindow()
        # The menus' actions arrive just after the first paint, as a person would see them.
        qtbot.waitUntil(lambda: bool(window.actions()), timeout=2000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.notifier is None or not window.notifier.is_running()


@pytest.fixture(autouse=True)
def no_running_timers(qapp: QApplication) -> Iterator[None]:
    """Fail a test that leaves one of the app's own timers ticking after its window closed.

    Qt's widgets keep private timers (a status message's time-out, say); only timers owned by
    TimeSyncer's classes are the app's to stop.
    """
    yield
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            continue
        running = [
            t
            for t in widget.findChildren(QTimer)
            if t.isActive() and type(t.parent()).__module__.startswith("timesyncer_gui")
        ]
        assert not running, f"{widget!r} left {len(running)} timer(s) running"


# The SMTP server fixtures live with the mail tests; the window tests use them too.
from ..mail.conftest import (  # noqa: E402
    ca,  # noqa: F401
    client_context,  # noqa: F401
    silent_server,  # noqa: F401
    start_server,  # noqa: F401
)
