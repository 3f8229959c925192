"""``timesyncer --self-test``: proves a build works, in a throw-away data folder.

Opens the real main window (offscreen works), books and cancels through it, composes the
confirmation with its calendar invitation (here, and in the helper process that composes a
backlog), checks the Qt calls that read ICU data (the Linux package ships a reduced copy:
tools/shrink_icu_data.py), and exits 0; or exits 1 naming the step that failed. Every
packaged build is smoke-tested with it.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain.outbox import OutboxMessage
    from .mail.config import MailSettings

ZONE = "Europe/London"


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
                    "TIMESYNCER_TIMEZONE": ZONE,
                    "TIMESYNCER_OPENING_HOURS": "mon-sun 00:00-24:00",
                },
                cwd=folder,
            )
            step = "opening the main window"
            window = create_main_window(settings, mail=False)
            window.show()
            # The window sets its icon once it has painted: give it up to five seconds.
            deadline = time.monotonic() + 5
            while window.windowIcon().isNull() and time.monotonic() < deadline:
                app.processEvents()
                time.sleep(0.005)
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
                step = "composing emails in a second process"
                _check_helper_process(message, sender, settings.timezone, desk.clock.now())
                if sys.platform.startswith("linux"):
                    step = "reading ICU data"
                    _check_icu_data()
            finally:
                window.close()
    except Exception as exc:  # the point is to say what failed, whatever it is
        _say(f"TimeSyncer self-test failed while {step}: {exc}", error=True)
        return 1
    _say("TimeSyncer self-test passed: window, booking, cancel and email all work.")
    return 0


def _check_helper_process(
    message: OutboxMessage, sender: MailSettings, tz: tzinfo, now: datetime
) -> None:
    """A backlog of emails is composed in a helper process, which a packaged program starts
    as a second copy of itself: prove that copy starts and composes."""
    from .mail.rendering import Renderer

    renderer = Renderer(tz, parallel_from=2)
    try:
        rendered = list(renderer.render_all([message, message], sender, now))
    finally:
        renderer.close()
    if renderer.rendered_apart != 2 or not all(isinstance(r, bytes) for r in rendered):
        raise RuntimeError(f"the helper process composed {renderer.rendered_apart} of 2 emails")


def _check_icu_data() -> None:
    """Qt's ICU-backed calls answer as with the wheel's full data: locale-aware case mapping,
    the desk zone's names, the default sort order, encoding aliases. Each answer differs when
    ICU, or the data it reads, is missing."""
    from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

    zone = QTimeZone(ZONE.encode())
    standard, long_name = QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName
    checks = {
        "Turkish upper case": (QLocale("tr_TR").toUpper("istanbul"), "İSTANBUL"),
        "time-zone name": (
            zone.displayName(standard, long_name, QLocale("en_GB")),
            "Greenwich Mean Time",
        ),
        "German time-zone name": (
            zone.displayName(standard, long_name, QLocale("de_DE")),
            "Mittlere Greenwich-Zeit",
        ),
        "sort order": (QCollator(QLocale("en_GB")).compare("apple", "Banana") < 0, True),
        "encoding name": (QStringDecoder("ascii").name(), "US-ASCII"),
    }
    for what, (got, expected) in checks.items():
        if got != expected:
            raise RuntimeError(f"{what}: {got!r} instead of {expected!r}")


def _say(text: str, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    if stream is not None:  # a windowed build on Windows has no console
        print(text, file=stream)
