"""The size the window first opens at, before it has one to remember."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from tests.screens import offscreen_on
from timesyncer_gui.ui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]

OPEN_AND_MEASURE = textwrap.dedent(
    """
    import json, sys
    from datetime import UTC, datetime
    from pathlib import Path
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from timesyncer_gui.app import create_main_window
    from timesyncer_gui.domain.clock import FixedClock
    from timesyncer_gui.settings import Settings

    app = QApplication([])
    settings = Settings.load(data_dir=Path(sys.argv[1]), environ={"TIMESYNCER_TIMEZONE": "UTC"})
    monday_morning = FixedClock(datetime(2026, 11, 9, 8, 0, tzinfo=UTC))
    window = create_main_window(settings, clock=monday_morning, mail=False)
    window.show()
    app.processEvents()
    room = window.screen().availableGeometry()
    seen = {"room": [room.width(), room.height()], "window": [window.width(), window.height()]}

    def frame():
        app.processEvents()
        box = window.frameGeometry()
        # What the window asks for, too: a window manager grows a window to its minimum.
        least = window.minimumSizeHint()
        return [box.x(), box.y(), box.width(), box.height(), least.width(), least.height()]

    seen["desk"] = frame()
    page = window.desk_page
    page.day_view.selectRow(2)
    seen["form"] = frame()  # a free slot chosen: its day and time in the form
    page.form.name_edit.setText("Hannah Schmidt-Oberländer")
    page.form.email_edit.setText("hannah.schmidt-oberlaender@example.de")
    page.form.submit()
    page.day_view.selectRow(2)
    seen["details"] = frame()  # the booking just made, its details in the right pane
    seen["details_shown"] = page.panel.currentWidget() is page.details
    notes = page.details.fields["Notes"]
    last = notes.document().lastBlock()
    bottom = notes.blockBoundingGeometry(last).translated(notes.contentOffset()).bottom()
    seen["notes_bottom"] = [bottom, notes.viewport().height()]  # where "—" ends, the room
    seen["notes_scroll"] = notes.verticalScrollBar().isVisible()
    when = page.details.fields["When"]  # the booking's time, read whole however narrow
    room = when.contentsRect()
    needed = when.fontMetrics().boundingRect(room, int(Qt.TextFlag.TextWordWrap), when.text())
    seen["when_fits"] = needed.width() <= room.width() and needed.height() <= room.height()
    window.tabs.setCurrentWidget(window.admin_tab)
    seen["admin"] = frame()
    table = window.admin_page.table  # every column in view, down to Status and Created
    header = table.horizontalHeader()
    last = header.count() - 1
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    seen["admin_columns"] = [right, table.viewport().width()]
    print(json.dumps(seen))
    window.close()
    """
)


def test_on_a_desk_monitor_the_window_opens_at_its_usual_size(make_window: MakeWindow) -> None:
    window = make_window()
    assert (window.width(), window.height()) == (1100, 680)


def test_on_a_small_laptop_at_150_percent_the_window_fits_on_the_screen(tmp_path: Path) -> None:
    """A 1366 by 768 screen at 150% leaves about 910 by 512 for windows: the usual size
    would hang off the bottom and the right, and the Admin tab's filters in one row would
    widen the window past the screen's edge."""
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AND_MEASURE, str(tmp_path / "desk")],
        env={
            **os.environ,
            "QT_QPA_PLATFORM": offscreen_on("laptop_150.json"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    room_width, room_height = seen["room"]
    assert room_width < 1100 and room_height < 680  # the screen really is the small one
    assert seen["window"][0] >= room_width * 0.8  # still uses most of it
    assert seen["details_shown"]
    bottom, room = seen["notes_bottom"]
    assert bottom <= room and not seen["notes_scroll"]  # "—" shown whole, no scroll bar
    assert seen["when_fits"]
    right, room = seen["admin_columns"]
    assert right <= room
    x, y, width, height, *_least = seen["desk"]
    # Centred, where Qt would not centre it. The window is placed before it has a frame,
    # which offscreen adds a pixel to on each side: 2 pixels either way is centred.
    assert abs(x - (room_width - x - width)) <= 2
    assert abs(y - (room_height - y - height)) <= 2
    for shown in ("desk", "form", "details", "admin"):
        x, y, width, height, least_width, least_height = seen[shown]
        assert x >= 0 and x + width <= room_width, shown
        assert y >= 0 and y + height <= room_height, shown
        assert least_width <= room_width and least_height <= room_height, shown
