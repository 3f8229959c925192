"""The log: where it is, what it records, and that no error dies silently."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from timesyncer_gui import BookingRequest, SlotUnavailable, open_repository
from timesyncer_gui.logging_setup import RotatingLog, install_exception_hooks, setup_logging
from timesyncer_gui.settings import Settings

START = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings.load(data_dir=tmp_path, environ={}, cwd=tmp_path)
    yield settings
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_timesyncer", False)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture
def restore_hooks() -> Iterator[None]:
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


def test_bookings_made_refused_and_cancelled_are_logged_with_ids(settings: Settings) -> None:
    log_file = setup_logging(settings)
    assert log_file == settings.data_dir / "logs" / "app.log"
    with open_repository(settings.db_url) as repo:  # type: ignore[attr-defined]
        booking = repo.book(
            BookingRequest(
                "Amelia Watson", "amelia@example.org", START, START + timedelta(minutes=30)
            )
        )
        with pytest.raises(SlotUnavailable):
            repo.book(
                BookingRequest("Ben", "ben@example.org", START, START + timedelta(minutes=30))
            )
        repo.cancel(booking.id)
    text = log_file.read_text(encoding="utf-8")
    assert f"booked #{booking.id} on resource 1 at 2031-03-03T09:00:00+00:00" in text
    assert f"overlaps #{booking.id}" in text
    assert f"cancelled #{booking.id}" in text
    # Customers' personal details stay out of the log.
    assert "amelia@example.org" not in text and "Amelia" not in text


def test_an_uncaught_exception_in_a_thread_is_logged_and_reported(
    settings: Settings, restore_hooks: None
) -> None:
    log_file = setup_logging(settings)
    reports: list[str] = []
    install_exception_hooks(reports.append, log_file)

    def fail() -> None:
        raise RuntimeError("mail worker fell over.")  # one full stop in the report, not two

    worker = threading.Thread(target=fail, name="notifier")
    worker.start()
    worker.join()
    text = log_file.read_text(encoding="utf-8")
    assert "uncaught exception in thread notifier" in text
    assert "Traceback" in text and "RuntimeError: mail worker fell over" in text
    assert reports == [
        "An unexpected error happened in thread notifier: mail worker fell over. "
        f"The details are in {log_file}."
    ]


def test_an_uncaught_exception_in_the_main_thread_is_logged_and_reported(
    settings: Settings, restore_hooks: None
) -> None:
    log_file = setup_logging(settings)
    reports: list[str] = []
    install_exception_hooks(reports.append)
    try:
        raise ValueError("boom")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    assert "ValueError: boom" in log_file.read_text(encoding="utf-8")
    assert reports and "boom" in reports[0]


def test_setting_up_twice_does_not_double_every_line(settings: Settings) -> None:
    setup_logging(settings)
    log_file = setup_logging(settings)
    logging.getLogger("timesyncer_gui.test").info("only once")
    assert log_file.read_text(encoding="utf-8").count("only once") == 1


def test_the_log_rolls_over_past_its_size_and_keeps_five_old_files(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    handler = RotatingLog(path, max_bytes=200, backups=5)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("timesyncer_gui.test.rollover")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for number in range(100):
            logger.warning("line %03d %s", number, "x" * 30)
    finally:
        logger.removeHandler(handler)
        handler.close()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["app.log", *(f"app.log.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size < 200 for p in tmp_path.iterdir())
    assert "line 099" in path.read_text(encoding="utf-8")
    assert "line 098" in (path.read_text() + (tmp_path / "app.log.1").read_text())
    # The oldest lines go first; the kept files hold every line since, in order.
    newest = [path, *(tmp_path / f"app.log.{n}" for n in range(1, 6))]
    lines = [line for p in reversed(newest) for line in p.read_text().splitlines()]
    numbers = [int(line.split()[1]) for line in lines]
    assert numbers == list(range(numbers[0], 100))  # nothing lost between the kept files
