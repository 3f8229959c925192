"""Start-up to the first painted main window, against a bare PySide6 window, in one run.

Both are started as fresh processes offscreen and quit on their first paint; runs alternate
so the machine's noise hits both alike. The app opens a database holding ``--bookings``
bookings (100,000 by default), made once by this script in a temporary folder.

On a shared machine the wall-clock ratio moves by 0.2x from run to run. ``--instructions``
also counts, under valgrind's callgrind, the instructions each process runs up to its first
paint: the same figure every time, for telling whether a change made start-up cheaper.

    python benchmarks/startup.py [--runs 15] [--bookings 100000] [--instructions]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screen import OFFSCREEN_AT_A_DESK
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


# Ends a process the moment it reports its first paint, so callgrind counts nothing after it.
# The app is started as ``python -m`` starts it.
EXIT_AT_PAINT = """
import builtins, os, runpy, sys

def print_then_exit(*args, _print=builtins.print, **kwargs):
    _print(*args, **kwargs)
    if args and str(args[0]).startswith("first paint at"):
        sys.stdout.flush()
        os._exit(0)

builtins.print = print_then_exit
"""


def counted(command: list[str], env: dict[str, str]) -> int:
    """Instructions the command runs up to its first paint, counted by callgrind."""
    if command[1] == "-c":
        script = EXIT_AT_PAINT + command[2]
    else:  # -m timesyncer_gui ARGS
        script = EXIT_AT_PAINT + (
            f"sys.argv = ['timesyncer', *{command[3:]!r}]\n"
            "runpy.run_module('timesyncer_gui', run_name='__main__', alter_sys=True)\n"
        )
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            command[0],
            "-c",
            script,
        ],
        env={**env, "PYTHONHASHSEED": "0"},
        check=True,
        capture_output=True,
        text=True,
    )
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise RuntimeError(f"callgrind counted nothing: {result.stderr[-500:]!r}")


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
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each start-up's instructions under valgrind (a minute or so)",
    )
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (Debian: apt-get install valgrind)")
    # An installed program runs from byte-compiled modules; so does this measurement.
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "timesyncer_gui", quiet=1)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": OFFSCREEN_AT_A_DESK,
        "TIMESYNCER_TIMEZONE": "Europe/London",
    }
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
        commands = {"bare window": bare, "same widgets": widgets, "TimeSyncer": app}
        counts = (
            {name: counted(c, env) for name, c in commands.items()} if args.instructions else {}
        )
    bare_ms = statistics.median(times["bare"]) * 1000
    app_ms = statistics.median(times["app"]) * 1000
    widgets_ms = statistics.median(times["widgets"]) * 1000
    fastest = {name: min(runs) * 1000 for name, runs in times.items()}
    print(f"start-up to first paint, offscreen, median of {args.runs} runs each (fastest run)")
    print(f"  bare PySide6 QMainWindow:        {bare_ms:7.1f} ms ({fastest['bare']:.1f})")
    print(
        f"  the same widgets, no app code:   {widgets_ms:7.1f} ms ({fastest['widgets']:.1f});"
        f" {widgets_ms / bare_ms:.2f}x ({fastest['widgets'] / fastest['bare']:.2f}x)"
    )
    label = f"TimeSyncer, {made:,} bookings:"
    print(f"  {label:32s} {app_ms:7.1f} ms ({fastest['app']:.1f})")
    print(
        f"  ratio: {app_ms / bare_ms:.2f}x ({fastest['app'] / fastest['bare']:.2f}x)"
        " (target at most 1.3x)"
    )
    if counts:
        print("instructions up to the first paint (callgrind)")
        for name, count in counts.items():
            ratio = count / counts["bare window"]
            print(f"  {name + ':':14s} {count / 1e6:7.1f} million, {ratio:.3f}x")


if __name__ == "__main__":
    main()
