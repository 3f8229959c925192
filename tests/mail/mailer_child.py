"""A desk's mail sender in a process of its own, for the crash test: sends until told to stop
by a SIGKILL. Run as ``python mailer_child.py URL PORT``."""

from __future__ import annotations

import sys
from zoneinfo import ZoneInfo

from timesyncer_gui import open_repository
from timesyncer_gui.domain.clock import SystemClock
from timesyncer_gui.mail.config import MailSettings
from timesyncer_gui.mail.sender import OutboxSender

if __name__ == "__main__":
    url, port = sys.argv[1], int(sys.argv[2])
    settings = MailSettings("127.0.0.1", port, "none", "", "", "desk@clinic.example", 10.0)
    # Opened as the app's mail worker opens its own connection.
    with open_repository(url, durable=False) as repo:  # type: ignore[attr-defined]
        sender = OutboxSender(
            repo.outbox, lambda: settings, (), ZoneInfo("Europe/London"), SystemClock()
        )
        print("ready", flush=True)
        while True:
            sender.run_once()
