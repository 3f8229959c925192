"""Shared fixtures. Qt runs offscreen, so the suite needs no display, on a front desk's
1920 by 1080 monitor (see ``tests/screens``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from timesyncer_gui import open_repository
from timesyncer_gui.storage import Repository

from .screens import offscreen_on

# Read when the suite's QApplication is made, after this.
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = offscreen_on("desk.json")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file lives: a real file on disk, new for each test."""
    return tmp_path / "bookings.db"


@pytest.fixture
def repo(db_path: Path) -> Iterator[Repository]:
    """A repository over a fresh SQLite file, closed after the test."""
    repository = open_repository(f"sqlite:///{db_path}")
    yield repository
    repository.close()


@pytest.fixture(autouse=True)
def no_leaked_threads() -> Iterator[None]:
    """Fail any test that leaves a thread of its own running."""
    import threading
    import time

    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        # A QThread running Python shows up as a _DummyThread that never leaves the list;
        # the window fixtures check those threads through the notifier itself.
        leaked = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"
