"""Start-up to the first painted main window, against a bare PySide6 window, in one run.

Both are started as fresh processes offscreen and quit on their first paint; runs alternate
so the machine's noise hits both alike. The app opens a database holding ``--bookings``
bookings (100,000 by default), made once by this script in a temporary folder.

    python benchmarks/startup.py [--runs 15] [--bookings 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import seed_bookings

BARE = """
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication([])
window = QMainWindow()
window.installEventFilter(Quit(window))
window.show()
app.exec()
"""


def run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bookings", type=int, default=100_000)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIMESYNCER_TIMEZONE": "Europe/London"}
    with tempfile.TemporaryDirectory(prefix="timesyncer-startup-") as folder:
        data = Path(folder)
        made = seed_bookings(data / "timesyncer.db", args.bookings)
        bare = [sys.executable, "-c", BARE]
        app = [
            sys.executable,
            "-m",
            "timesyncer_gui",
            "--data-dir",
            str(data),
            "--exit-after-paint",
        ]
        for command in (bare, app):  # warm the file cache once
            run(command, env)
        times: dict[str, list[float]] = {"bare": [], "app": []}
        for _ in range(args.runs):
            times["bare"].append(run(bare, env))
            times["app"].append(run(app, env))
    bare_ms = statistics.median(times["bare"]) * 1000
    app_ms = statistics.median(times["app"]) * 1000
    print(f"start-up to first paint, offscreen, median of {args.runs} runs each")
    print(f"  bare PySide6 QMainWindow:        {bare_ms:7.1f} ms")
    print(f"  TimeSyncer, {made:,} bookings: {app_ms:7.1f} ms")
    print(f"  ratio: {app_ms / bare_ms:.2f}x (target at most 1.3x)")


if __name__ == "__main__":
    main()
