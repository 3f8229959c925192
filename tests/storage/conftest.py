"""Storage fixtures: one repository contract, run against every backend the project has."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.storage import Repository

BASE = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)  # a Monday, well in the future
SLOT = timedelta(minutes=30)

# A PostgreSQL backend joins this list and the whole contract runs against it too.
BACKENDS = ["sqlite"]


def at(slot: int, minutes: int = 0) -> datetime:
    """The start of the ``slot``-th half hour after BASE, shifted by ``minutes``."""
    return BASE + slot * SLOT + timedelta(minutes=minutes)


def request(
    name: str,
    slot: int,
    *,
    minutes: int = 0,
    length: int = 30,
    resource_id: int = 1,
    email: str | None = None,
) -> BookingRequest:
    start = at(slot, minutes)
    return BookingRequest(
        name,
        email or f"{name.split()[0].lower()}@example.com",
        start,
        start + timedelta(minutes=length),
        resource_id,
    )


@pytest.fixture(params=BACKENDS)
def open_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], Repository]:
    """Opens a new connection to the same database each time it is called."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'contract.db'}"
        return lambda: open_repository(url)
    raise AssertionError(f"unknown backend {request.param}")


@pytest.fixture
def repository(open_url: Callable[[], Repository]) -> Iterator[Repository]:
    repo = open_url()
    yield repo
    repo.close()
