"""The mail password never reaches the log, whatever happens with the server."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from timesyncer_gui import BookingRequest
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.logging_setup import setup_logging
from timesyncer_gui.mail.sender import OutboxSender
from timesyncer_gui.settings import Settings
from timesyncer_gui.storage import Repository

from .conftest import NOW, Server

SECRET = "s3cret-Pa55word"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    settings = Settings.load(
        data_dir=tmp_path, environ={"TIMESYNCER_LOG_LEVEL": "DEBUG"}, cwd=tmp_path
    )
    path = setup_logging(settings)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_timesyncer", False)]:
        root.removeHandler(handler)
        handler.close()


def test_a_refused_login_is_logged_without_the_password(
    mail_repo: Repository, start_server: object, clock: FixedClock, log_file: Path
) -> None:
    server: Server = start_server(security="starttls", login=True)  # type: ignore[operator]
    start = NOW.replace(day=30)
    mail_repo.book(BookingRequest("Ana", "ana@example.com", start, start.replace(minute=30)))
    wrong = server.settings._replace(password=SECRET)
    logging.getLogger("timesyncer_gui").info("mail settings: %r", wrong)
    report = OutboxSender(
        mail_repo.outbox, lambda: wrong, (), ZoneInfo("UTC"), clock, server.transport
    ).run_once()
    assert report.paused
    text = log_file.read_text(encoding="utf-8")
    assert "sending paused" in text and "refused the login" in text
    assert SECRET not in text
    assert SECRET not in report.problem
