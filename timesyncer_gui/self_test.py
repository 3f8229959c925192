"""``timesyncer --self-test``: proves a build works, in a throw-away data folder.

Opens the real main window (offscreen works), books and cancels through it, composes the
confirmation with its calendar invitation, and exits 0; or exits 1 naming the step that
failed. Every packaged build is smoke-tested with it.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta


def run_self_test() -> int:
    step = "starting"
    try:
        from PySide6.QtWidgets import QApplication

        from .app import create_main_window
        from .mail.compose import compose
        from .mail.config import MailSettings
        from .settings import Settings

        app = QApplication.instance() or QApplication(sys.argv[:1])
        with tempfile.TemporaryDirectory(prefix="timesyncer-self-test-") as folder:
            step = "reading settings"
            settings = Settings.load(
                data_dir=folder,
                environ={
                    "TIMESYNCER_TIMEZONE": "Europe/London",
                    "TIMESYNCER_OPENING_HOURS": "mon-sun 00:00-24:00",
                },
                cwd=folder,
            )
            step = "opening the main window"
            window = create_main_window(settings, mail=False)
            window.show()
            app.processEvents()
            try:
                if window.windowIcon().pixmap(32).isNull():
                    raise RuntimeError("the window icon did not load")
                desk = window.desk
                step = "booking"
                day = desk.today() + timedelta(days=1)
                slot = desk.schedule.slots_on(day)[0]
                booking = desk.book(
                    name="Self Test", email="self-test@example.com", start=slot.start
                )
                window.desk_page.show_day(day)
                window.refresh_all()
                app.processEvents()
                shown = window.desk_page.day_view.day_model.index(0, 1).data()
                if shown != "Self Test":
                    raise RuntimeError(f"the day shows {shown!r} instead of the booking")
                step = "cancelling"
                desk.cancel(booking.id)
                step = "composing the confirmation"
                message = desk.repository.outbox.for_booking(booking.id)[0]
                sender = MailSettings("localhost", 25, "none", "", "", "desk@example.com", 5.0)
                email = compose(message, sender, settings.timezone, desk.clock.now())
                raw = email.as_bytes()
                if b"text/calendar" not in raw:
                    raise RuntimeError("the email carries no calendar invitation")
            finally:
                window.close()
    except Exception as exc:  # the point is to say what failed, whatever it is
        _say(f"TimeSyncer self-test failed while {step}: {exc}", error=True)
        return 1
    _say("TimeSyncer self-test passed: window, booking, cancel and email all work.")
    return 0


def _say(text: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # a windowed build on Windows has no console
        print(text, file=stream)
