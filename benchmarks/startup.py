"""Start-up to the first painted main window, against a bare PySide6 window, in one run.

Both are started as fresh processes offscreen and quit on their first paint; runs alternate
so the machine's noise hits both alike. The app opens a database holding ``--bookings``
bookings (100,000 by default), made once by this script in a temporary folder.

    python benchmarks/startup.py [--runs 15] [--bookings 100000]
"""

from __future__ import annotations

import argparse
import compileall
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

import time

class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            def done():
                print(f"first paint at {time.time():.6f}", flush=True)
                QApplication.quit()
            QTimer.singleShot(0, done)
        return False

app = QApplication([])
window = QMainWindow()
window.installEventFilter(Quit(window))
window.show()
app.exec()
"""

# The same first screen built from plain Qt widgets, with no app code at all: how much of the
# start-up is simply the widgets the first paint shows. Built as the app builds them, clear of
# PySide6's Qt namespace (see timesyncer_gui/ui/painting.py).
WIDGETS_ONLY = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication, QCalendarWidget, QFormLayout, QLabel, QLineEdit, QMainWindow, QPushButton,
    QSplitter, QTableView, QTabWidget, QWidget,
)

class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            def done():  # once the whole window has painted, as the others report it
                print(f"first paint at {time.time():.6f}", flush=True)
                QApplication.quit()
            QTimer.singleShot(0, done)
        return False

app = QApplication([])
window = QMainWindow()
split = QSplitter()
table = QTableView()
model = QStandardItemModel(16, 2)
for row in range(16):
    model.setItem(row, 0, QStandardItem(f"{9 + row // 2:02d}:{30 * (row % 2):02d}"))
    model.setItem(row, 1, QStandardItem("Free"))
table.setModel(model)
form = QWidget()
fields = QFormLayout(form)
for label in ("Name", "Email", "Phone", "Notes"):
    fields.addRow(label, QLineEdit())
fields.addRow("", QPushButton("Book"))
for widget in (QCalendarWidget(), table, form):
    split.addWidget(widget)
tabs = QTabWidget()
for widget, title in ((split, "Desk"), (QWidget(), "Admin"), (QWidget(), "Mail")):
    tabs.addTab(widget, title)
window.setCentralWidget(tabs)
menu = window.menuBar().addMenu("&File")
for text, keys in (("Quit", "Ctrl+Q"), ("New", "Ctrl+N"), ("Undo", "Ctrl+Z"), ("Refresh", "F5"),
                   ("Desk", "Ctrl+1"), ("Admin", "Ctrl+2"), ("Find", "Ctrl+F")):
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(keys)])
    menu.addAction(action)
window.statusBar().addPermanentWidget(QLabel("Europe/London"))
window.resize(1100, 680)
window.installEventFilter(Quit(window))
window.show()
app.exec()
"""


def run(command: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its first paint (as it reports), so the time
    it takes to shut down afterwards does not count."""
    start = time.time()
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    for line in result.stdout.splitlines():
        if line.startswith("first paint at "):
            return float(line.removeprefix("first paint at ")) - start
    raise RuntimeError(f"{command[0]} reported no first paint: {result.stdout!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bookings", type=int, default=100_000)
    args = parser.parse_args()
    # An installed program runs from byte-compiled modules; so does this measurement.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "timesyncer_gui", quiet=1)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIMESYNCER_TIMEZONE": "Europe/London"}
    with tempfile.TemporaryDirectory(prefix="timesyncer-startup-") as folder:
        data = Path(folder)
        made = seed_bookings(data / "timesyncer.db", args.bookings)
        bare = [sys.executable, "-c", BARE]
        widgets = [sys.executable, "-c", WIDGETS_ONLY]
        app = [
            sys.executable,
            "-m",
            "timesyncer_gui",
            "--data-dir",
            str(data),
            "--exit-after-paint",
        ]
        for command in (bare, widgets, app):  # warm the file cache once
            run(command, env)
        times: dict[str, list[float]] = {"bare": [], "widgets": [], "app": []}
        for _ in range(args.runs):
            times["bare"].append(run(bare, env))
            times["widgets"].append(run(widgets, env))
            times["app"].append(run(app, env))
    bare_ms = statistics.median(times["bare"]) * 1000
    app_ms = statistics.median(times["app"]) * 1000
    widgets_ms = statistics.median(times["widgets"]) * 1000
    print(f"start-up to first paint, offscreen, median of {args.runs} runs each")
    print(f"  bare PySide6 QMainWindow:        {bare_ms:7.1f} ms")
    print(f"  the same widgets, no app code:   {widgets_ms:7.1f} ms ({widgets_ms / bare_ms:.2f}x)")
    print(f"  TimeSyncer, {made:,} bookings: {app_ms:7.1f} ms")
    print(f"  ratio: {app_ms / bare_ms:.2f}x (target at most 1.3x)")


if __name__ == "__main__":
    main()
