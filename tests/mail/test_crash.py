"""A sender killed with SIGKILL in the middle of a batch loses no email."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from timesyncer_gui import BookingRequest, open_repository
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.domain.outbox import MessageState
from timesyncer_gui.mail.sender import OutboxSender

from .conftest import Server

CHILD = Path(__file__).with_name("mailer_child.py")


@pytest.mark.slow
def test_sigkill_mid_batch_then_restart_delivers_every_message(
    tmp_path: Path, start_server: object
) -> None:
    server: Server = start_server()  # type: ignore[operator]
    server.mailbox.delay = 0.05
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    start = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
    with open_repository(url) as repo:  # type: ignore[attr-defined]
        for index in range(30):
            at = start + timedelta(minutes=30 * index)
            repo.book(
                BookingRequest(
                    f"Customer {index}", f"c{index}@example.com", at, at + timedelta(minutes=30)
                )
            )
        tokens = {m.token for m in repo.outbox.page()}
    assert len(tokens) == 30

    child = subprocess.Popen(
        [sys.executable, str(CHILD), url, str(server.port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 30
    while len(server.mailbox.messages) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    delivered_before = len(server.mailbox.messages)
    assert 8 <= delivered_before < 30, "the kill should land in the middle of the batch"

    # A desk starts again later; what the dead one left mid-send is sent again.
    later = FixedClock(datetime.now(UTC) + timedelta(minutes=10))
    with open_repository(url, clock=later) as repo:  # type: ignore[attr-defined]
        sender = OutboxSender(
            repo.outbox,
            lambda: server.settings,
            (),
            ZoneInfo("Europe/London"),
            later,
            server.transport,
        )
        for _ in range(5):
            sender.run_once()
        states = {m.state for m in repo.outbox.page()}
    assert states == {MessageState.SENT}
    received = [m["Message-ID"].strip("<>").split("@")[0] for m in server.mailbox.messages]
    assert set(received) == tokens  # every message arrived at least once
    assert len(received) - len(tokens) <= 1  # at most the one cut off mid-send, same id
