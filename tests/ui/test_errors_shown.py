"""Errors reach the person: a start-up failure dialog, and crashes from any thread."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from timesyncer_gui.settings import SettingsError
from timesyncer_gui.ui.error_reporter import ErrorReporter, startup_error_box
from timesyncer_gui.ui.main_window import MainWindow


def test_the_start_up_dialog_says_which_setting_is_wrong(qtbot: QtBot) -> None:
    error = SettingsError("TIMESYNCER_TIMEZONE", "Mars/Base", "an IANA time zone name")
    box = startup_error_box(error.message)
    qtbot.addWidget(box)
    assert box.windowTitle() == "TimeSyncer cannot start"
    assert box.text() == (
        "TIMESYNCER_TIMEZONE is 'Mars/Base', but it must be an IANA time zone name."
    )
    assert box.icon() == QMessageBox.Icon.Critical


def test_an_error_reported_from_a_worker_thread_opens_a_message_on_the_window(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    reporter = ErrorReporter(window)
    worker = threading.Thread(target=reporter.report, args=("The mail worker stopped.",))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.last_box is not None and reporter.last_box.isVisible())
    assert reporter.last_box is not None
    assert reporter.last_box.text() == "The mail worker stopped."
    assert reporter.last_box.parent() is window
    reporter.last_box.close()
