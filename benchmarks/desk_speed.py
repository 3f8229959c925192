"""The front desk at a million bookings: changing the calendar's month, and the Admin tab.

Makes its own database (``--bookings``, 1,000,000 by default) in a temporary folder, then
drives the real window offscreen and prints medians. Not a test: nothing here asserts.

    python benchmarks/desk_speed.py [--bookings 1000000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen import OFFSCREEN_AT_A_DESK

if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = OFFSCREEN_AT_A_DESK

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from seed import seed_bookings

from timesyncer_gui.app import create_main_window
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.settings import Settings


def rss_mb() -> float:
    """Resident memory now, from /proc (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(action: Callable[[], object], app: QApplication) -> float:
    """Milliseconds for ``action`` and the repaint it causes."""
    start = time.perf_counter()
    action()
    app.processEvents()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="timesyncer-desk-") as folder:
        data = Path(folder)
        started = time.perf_counter()
        seed_bookings(data / "timesyncer.db", args.bookings)
        print(f"seeded {args.bookings:,} bookings in {time.perf_counter() - started:.1f} s")
        settings = Settings.load(
            data_dir=data, environ={"TIMESYNCER_TIMEZONE": "Europe/London"}, cwd=data
        )
        clock = FixedClock(datetime(2020, 6, 15, 8, 0, tzinfo=UTC))
        window = create_main_window(settings, clock=clock)
        window.show()
        app.processEvents()
        calendar = window.desk_page.calendar

        months = []
        for index in range(args.repeat * 2):
            year, month = 2012 + index // 12, 1 + index % 12
            months.append(timed(lambda y=year, m=month: calendar.setCurrentPage(y, m), app))
        print(
            f"calendar month change: median {statistics.median(months):.1f} ms,"
            f" max {max(months):.1f} ms (target: median at most 15 ms)"
        )

        before = rss_mb()
        opened = timed(lambda: window.tabs.setCurrentWidget(window.admin_tab), app)
        admin = window.admin_page
        table = admin.table
        print(f"admin tab open and first page painted: {opened:.1f} ms (target at most 150 ms)")
        sorts = []
        for index in range(args.repeat):
            column = (1, 2, 3, 7, 6)[index % 5]
            order = Qt.SortOrder.AscendingOrder if index % 2 else Qt.SortOrder.DescendingOrder
            sorts.append(timed(lambda c=column, o=order: table.sortByColumn(c, o), app))
        print(
            f"re-sort: median {statistics.median(sorts):.1f} ms, max {max(sorts):.1f} ms"
            " (target at most 300 ms)"
        )
        searches = []
        for term in ("Watson 4242", "priya.9", "García 77", "olga.123", "example.com") * 3:

            def search(text: str = term) -> None:
                admin.search_edit.setText(text)
                admin.apply_filters()

            searches.append(timed(search, app))
        print(
            f"search: median {statistics.median(searches):.1f} ms, max {max(searches):.1f} ms"
            f" (target at most 300 ms); last matched {admin.summary.text()}"
        )
        # A common name sorted by name: its bookings sit together in the name index.
        admin.search_edit.setText("Kwame")
        admin.apply_filters()
        by_name = []
        for index in range(args.repeat):
            column = (1, 2)[index % 2]
            order = Qt.SortOrder.AscendingOrder if index % 4 < 2 else Qt.SortOrder.DescendingOrder
            by_name.append(timed(lambda c=column, o=order: table.sortByColumn(c, o), app))
        print(
            f"a searched name re-sorted by name or email: median {statistics.median(by_name):.1f}"
            f" ms, max {max(by_name):.1f} ms (target at most 300 ms)"
        )
        admin.search_edit.setText("")
        admin.apply_filters()
        for _ in range(20):
            table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
            app.processEvents()
        print(
            f"resident memory growth with the admin tab open and scrolled: "
            f"{rss_mb() - before:.1f} MB (target at most 60 MB); rows loaded "
            f"{admin.model.rowCount() if admin.model else 0:,}"
        )
        window.close()


if __name__ == "__main__":
    main()
