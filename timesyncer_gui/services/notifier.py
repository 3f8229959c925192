"""The mail notifier: a worker on its own QThread that sends the outbox and queues reminders.

The worker owns its own database connection and SMTP transport; its timer is created inside
its thread. The GUI only sends it requests (wake, stop) and hears back through ``report``.
Stopping is cooperative: a flag, plus closing the SMTP socket so a server that hangs cannot
hold the window open; the thread is then joined. Following the project's known PySide6
trap, the worker is never deleted through ``thread.finished -> deleteLater``: the Python
references are dropped once the thread has finished.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..domain.clock import Clock
from ..mail.config import MailSettings
from ..mail.sender import OutboxSender, Report
from ..settings import Settings, SettingsError
from ..storage import open_repository

log = logging.getLogger(__name__)

TICK_MS = 15_000


class NotifierWorker(QObject):
    """Lives on the notifier thread; every slot runs there."""

    report = Signal(object)
    sending = Signal(str, int)  # server, number of emails: a pass has begun to send

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        reload: Callable[[], Settings] | None = None,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self._settings = settings
        self._clock = clock
        self._reload = reload
        self._tick_ms = tick_ms
        self._stopping = threading.Event()
        self._sender: OutboxSender | None = None
        self._repo: object | None = None
        self._timer: QTimer | None = None

    @Slot()
    def begin(self) -> None:
        """Open the worker's own connection and start ticking (on the worker's thread)."""
        threading.current_thread().name = "mail-notifier"
        # Claims and marks need not be synced to the disk: whatever a power cut undoes of them
        # leaves an email to be sent again, never one lost (bookings are written elsewhere).
        repo = open_repository(self._settings.db_url, clock=self._clock, durable=False)
        self._repo = repo
        self._sender = OutboxSender(
            repo.outbox,
            self._mail_settings,
            self._settings.reminder_leads,
            self._settings.timezone,
            self._clock,
        )
        self._sender.on_sending = self.sending.emit
        self._timer = QTimer(self)
        self._timer.setInterval(self._tick_ms)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        log.info("mail notifier started: %s", self._settings.mail.describe())
        self.tick()

    @Slot()
    def tick(self) -> None:
        if self._stopping.is_set() or self._sender is None:
            return
        try:
            report = self._sender.run_once(stop=self._stopping.is_set)
        except Exception:  # logged with its traceback; the next tick tries again
            log.exception("the mail notifier's pass failed")
            report = Report(problem="The mail sender hit an error; details are in the log.")
        self.report.emit(report)

    @Slot()
    def finish(self) -> None:
        """Stop the timer, close the connection and leave the thread's event loop."""
        if self._timer is not None:
            self._timer.stop()
        close = getattr(self._repo, "close", None)
        if close is not None:
            close()
        log.info("mail notifier stopped")
        thread = QThread.currentThread()
        if thread is not None:
            thread.quit()

    def abort(self) -> None:
        """From the GUI thread: stop at the next step and cut any SMTP call short."""
        self._stopping.set()
        sender = self._sender
        transport = sender.current if sender is not None else None
        if transport is not None:
            transport.abort()

    def _mail_settings(self) -> MailSettings:
        """The mail settings as they are now: an edited .env takes effect without a restart."""
        if self._reload is not None:
            try:
                self._settings = self._reload()
            except SettingsError as exc:
                log.warning("settings not reloaded: %s", exc.message)
        return self._settings.mail


class Notifier(QObject):
    """Owns the notifier thread from the GUI side: start, wake, stop within a deadline."""

    report = Signal(object)
    sending = Signal(str, int)  # server, number of emails: a pass has begun to send
    _wake = Signal()
    _finish = Signal()

    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        reload: Callable[[], Settings] | None = None,
        tick_ms: int = TICK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker: NotifierWorker | None = NotifierWorker(settings, clock, reload, tick_ms)
        self._thread: QThread | None = QThread()
        self._thread.setObjectName("mail-notifier")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.begin)
        self._wake.connect(self._worker.tick)
        self._finish.connect(self._worker.finish)
        self._worker.report.connect(self.report)
        self._worker.sending.connect(self.sending)
        self._thread.finished.connect(self._release)

    def start(self) -> None:
        if self._thread is not None:
            self._thread.start()

    def wake(self) -> None:
        """Send now rather than at the next tick (after a booking, or Retry now)."""
        if self._worker is not None:
            self._wake.emit()

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def stop(self, deadline_ms: int = 5000) -> bool:
        """Stop and join the thread; True if it finished within ``deadline_ms``."""
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return True
        if not thread.isRunning():
            self._release()
            return True
        worker.abort()
        self._finish.emit()
        finished = thread.wait(deadline_ms)
        if not finished:
            log.error("the mail notifier did not stop within %d ms", deadline_ms)
        else:
            self._release()
        return bool(finished)

    @Slot()
    def _release(self) -> None:
        # The objects die with their last Python reference, after the thread has finished.
        self._worker = None
        self._thread = None
