"""Renders the README's screenshots offscreen from a seeded database: ``make screenshots``.

The bookings are made and the window is shown on a fixed morning (one fixed clock for both),
so the pictures do not change from run to run. ``--out DIR`` writes them elsewhere.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from timesyncer_gui.app import create_main_window
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.settings import Settings

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
MONDAY = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)  # 09:00 in London; the month mostly ahead
CUSTOMERS = [
    ("José García", "jose.garcia@example.com"),
    ("Amelia Watson", "amelia@example.org"),
    ("Priya Natarajan", "priya.n@example.com"),
    ("Kwame Mensah", "kwame@example.com"),
    ("Hannah Schmidt-Oberländer", "hannah@example.de"),
    ("Noah Brown", "noah.brown@example.com"),
    ("Fatima Khan", "fatima.khan@example.com"),
    ("Olga Ivanova", "olga@example.ru"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the README's screenshots offscreen.")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write to ({OUT})")
    out: Path = parser.parse_args(argv).out
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="timesyncer-shots-") as folder:
        settings = Settings.load(
            data_dir=folder,
            environ={
                "TIMESYNCER_TIMEZONE": "Europe/London",
                "TIMESYNCER_OPENING_HOURS": "mon-fri 09:00-17:00; sat 10:00-13:00",
            },
            cwd=folder,
        )
        clock = FixedClock(MONDAY - timedelta(hours=1))
        window = create_main_window(settings, clock=clock, mail=False)
        desk = window.desk
        for index, (name, email) in enumerate(CUSTOMERS):
            desk.book(name=name, email=email, start=MONDAY + timedelta(minutes=30 * index * 2))
        for day in range(1, 12):
            for slot in range(0, 16, 1 if day == 2 else 3):
                name, email = CUSTOMERS[(day + slot) % len(CUSTOMERS)]
                start = MONDAY + timedelta(days=day, minutes=30 * slot)
                if desk.schedule.slots_on(desk.schedule.local(start).date()):
                    try:
                        desk.book(name=name, email=email, start=start)
                    except Exception:  # a closed or off-grid time on a weekend: skip it
                        continue
        window.refresh_all()
        window.resize(QSize(1180, 700))
        window.show()
        app.processEvents()
        page = window.desk_page
        page.day_view.selectRow(1)
        page.form.name_edit.setText("Li Wei")
        page.form.email_edit.setText("li.wei@example.com")
        app.processEvents()
        out.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out / "desk.png"))
        page.day_view.selectRow(2)
        app.processEvents()
        window.grab().save(str(out / "booking-details.png"))
        window.tabs.setCurrentWidget(window.admin_tab)
        app.processEvents()
        window.grab().save(str(out / "admin.png"))
        window.tabs.setCurrentWidget(window.mail_tab)
        app.processEvents()
        window.grab().save(str(out / "mail.png"))
        window.close()
    print(f"screenshots written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
