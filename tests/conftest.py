"""Shared fixtures. Qt runs offscreen, so the suite needs no display."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from timesyncer_gui import open_repository  # noqa: E402
from timesyncer_gui.storage import Repository  # noqa: E402


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
