"""What the first paint finds: no PySide6 `Qt` namespace, whose enums cost start-up a tenth
(see timesyncer_gui/ui/painting.py), and the garbage collector paused. Each runs the app in a
fresh process: this suite has long built the namespace and collects garbage."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.settings import Settings

PROBE = textwrap.dedent(
    """
    import atexit, gc, runpy, sys

    import PySide6.QtCore as QtCore
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


    app = QApplication(sys.argv[:1])
    probe = FirstPaint()
    app.installEventFilter(probe)  # sees the window's paint before the window's own filter
    atexit.register(
        lambda: print("collecting after:", gc.isenabled(), gc.get_freeze_count() > 0, flush=True)
    )
    runpy.run_module("timesyncer_gui", run_name="__main__")  # as python -m starts it
    """
)


def start(data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The real app, started in a fresh process under the probe, quitting after its paint."""
    return subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(data_dir), "--exit-after-paint"],
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


def test_start_up_pauses_the_garbage_collector_until_the_first_paint(tmp_path: Path) -> None:
    result = start(tmp_path)
    assert "first paint at" in result.stdout, result.stderr
    assert "collecting at the first paint: False" in result.stdout
    # Then start-up's objects are set aside for good, and collection resumes.
    assert "collecting after: True True" in result.stdout
