"""What the first paint finds: no PySide6 `Qt` namespace, whose enums cost start-up a tenth
(see timesyncer_gui/ui/painting.py), no text format (ui/calendar.py), none of the code that
only a booking change or the Admin list uses (see storage/sqlite.py), and the garbage
collector paused. Each runs the app in a fresh process: this suite has long built the
namespace, loaded that code and collects garbage.

And what waits for the first paint still runs when a window is shown but never painted."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.settings import Settings
from timesyncer_gui.ui.first_paint import after_first_paint

PROBE = textwrap.dedent(
    """
    import atexit, gc, runpy, sys

    import PySide6.QtCore as QtCore
    import PySide6.QtGui as QtGui
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow


    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched, event):
            if not self.seen and event.type() == QEvent.Type.Paint and isinstance(
                watched, QMainWindow
            ):
                self.seen = True
                print("collecting at the first paint:", gc.isenabled(), flush=True)
                QTimer.singleShot(0, self.report)
            return False

        def report(self):
            print("namespace built:", "Qt" in vars(QtCore), flush=True)
            print("text formats made:", "QTextCharFormat" in vars(QtGui), flush=True)
            later = [name for name in DEFERRED if name in sys.modules]
            print("loaded before it was needed:", later, flush=True)


    DEFERRED = [
        "html.entities",  # a large table; tooltips escape text without it
        "timesyncer_gui.domain.outbox",
        "timesyncer_gui.domain.validation",
        "timesyncer_gui.storage.contract",
        "timesyncer_gui.storage.sqlite_filters",
        "timesyncer_gui.storage.sqlite_listing",
        "timesyncer_gui.storage.sqlite_outbox",
    ]
    app = QApplication(sys.argv[:1])
    probe = FirstPaint()
    app.installEventFilter(probe)  # sees the window's paint before the window's own filter
    atexit.register(
        lambda: print("collecting after:", gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
    )
    runpy.run_module("timesyncer_gui", run_name="__main__")  # as python -m starts it
    """
)


def start(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real app, started in a fresh process under the probe, quitting after its paint."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE,
            "--data-dir",
            str(data_dir),
            *(args or ["--exit-after-paint"]),
        ],
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "TIMESYNCER_TIMEZONE": "Europe/London",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def seed(data_dir: Path) -> None:
    """Bookings over the coming weeks, so the calendar shows every shade and the day some."""
    settings = Settings.load(data_dir=data_dir, environ={"TIMESYNCER_TIMEZONE": "Europe/London"})
    now = datetime.now(settings.timezone)
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        for offset in range(21):
            slots = settings.schedule.slots_on((now + timedelta(days=offset)).date())
            ahead = [slot for slot in slots if slot.start > now]
            count = len(ahead) if offset % 5 == 2 else offset % 3  # some days full, some not
            for index, slot in enumerate(ahead[:count]):
                repo.book(
                    BookingRequest(
                        customer_name=f"Customer {offset}-{index}",
                        customer_email=f"c{offset}.{index}@example.com",
                        start=slot.start,
                        end=slot.end,
                    )
                )


def test_the_first_paint_builds_no_qt_namespace(tmp_path: Path) -> None:
    seed(tmp_path)
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "first paint at" in result.stdout  # the real window painted
    assert "namespace built: False" in result.stdout, result.stdout


def test_the_first_paint_makes_no_text_format(tmp_path: Path) -> None:
    """The calendar writes its weekend dates itself for the first paint (see ui/calendar.py)."""
    seed(tmp_path)
    result = start(tmp_path)
    assert "first paint at" in result.stdout, result.stderr
    assert "text formats made: False" in result.stdout, result.stdout


def test_the_first_paint_loads_no_outbox_validation_or_admin_list_code(tmp_path: Path) -> None:
    seed(tmp_path)
    result = start(tmp_path)
    assert "first paint at" in result.stdout, result.stderr
    assert "loaded before it was needed: []" in result.stdout, result.stdout


def test_start_up_pauses_the_garbage_collector_until_the_first_paint(tmp_path: Path) -> None:
    result = start(tmp_path)
    assert "first paint at" in result.stdout, result.stderr
    assert "collecting at the first paint: False" in result.stdout
    # Then start-up's objects are set aside for good, and collection resumes.
    assert "collecting after: True True" in result.stdout


def test_the_self_test_collects_garbage_as_it_runs(tmp_path: Path) -> None:
    result = start(tmp_path, "--self-test")
    assert "self-test passed" in result.stdout, result.stdout + result.stderr
    assert "collecting after: True" in result.stdout


class NeverPainted(QObject):
    """Swallows a window's paints, as for a window started minimized or out of sight."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() == QEvent.Type.Paint


def test_a_window_never_painted_runs_its_work_soon_after_it_is_shown(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    ran: list[str] = []
    after_first_paint(window, lambda: ran.append("mail started"), at_latest_ms=100)
    hider = NeverPainted(window)
    window.installEventFilter(hider)  # sees each event before the first one installed
    window.show()
    qtbot.waitUntil(lambda: ran == ["mail started"], timeout=2000)
    window.removeEventFilter(hider)
    window.update()
    qtbot.wait(200)  # painted at last: not run a second time
    assert ran == ["mail started"]


def test_a_window_closed_before_it_paints_starts_nothing(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    ran: list[str] = []
    after_first_paint(window, lambda: ran.append("mail started"), at_latest_ms=100)
    window.installEventFilter(NeverPainted(window))
    window.show()
    window.hide()
    qtbot.wait(300)
    assert ran == []


def test_timing_waits_for_the_paint_itself(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    ran: list[str] = []
    after_first_paint(window, lambda: ran.append("painted"), at_latest_ms=None)
    hider = NeverPainted(window)
    window.installEventFilter(hider)
    window.show()
    qtbot.wait(300)
    assert ran == []
    window.removeEventFilter(hider)
    window.update()
    qtbot.waitUntil(lambda: ran == ["painted"], timeout=2000)
