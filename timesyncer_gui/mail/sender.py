"""One pass over the outbox: queue due reminders, then send what is due over one connection.

Plain Python with an injected clock and transport, so every rule (backoff, giving up after a
day, pausing on a bad login) is tested without waiting and without Qt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from ..domain.clock import Clock
from ..domain.outbox import OutboxMessage
from ..storage.contract import Outbox
from .config import MailSettings
from .rendering import PARALLEL_FROM, Renderer
from .transport import SendError, SmtpTransport, Verdict

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
BATCH = 50


@dataclass
class Report:
    """What one pass did, for the status bar and the log."""

    queued_reminders: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0
    undelivered: int = 0  # failed for good, about sessions still ahead (see the Mail tab)
    problem: str = ""  # why mail is not going out, in a sentence; empty when all is well
    paused: bool = False
    unreachable_since: datetime | None = None
    sent_ids: list[int] = field(default_factory=list)


def next_attempt(now: datetime, attempts: int) -> datetime:
    """1 minute after the first try, doubling, at most an hour apart."""
    delay = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return now + min(delay, LONGEST_RETRY)


TransportFactory = Callable[[MailSettings], SmtpTransport]


class OutboxSender:
    """Sends the outbox for one desk. Keeps, between passes, whether sending is paused and
    since when the server has been unreachable."""

    def __init__(
        self,
        outbox: Outbox,
        settings: Callable[[], MailSettings],
        leads: Sequence[timedelta],
        tz: tzinfo,
        clock: Clock,
        transport: TransportFactory = SmtpTransport,
        desk_name: str = "",
        parallel_from: int = PARALLEL_FROM,
    ) -> None:
        self._outbox = outbox
        self._settings = settings
        self._leads = tuple(leads)
        self._clock = clock
        self._transport_factory = transport
        self.renderer = Renderer(tz, desk_name, parallel_from)
        self._paused_with: MailSettings | None = None
        self._unreachable_since: datetime | None = None
        self._unreachable_why = ""  # the last refusal, said in every pass until one connects
        self._settings_seen: MailSettings | None = None
        self._pause_reason = ""
        self.current: SmtpTransport | None = None
        self._last_pass: datetime | None = None  # when reminders were last looked for
        # Told (server, number of emails) as a pass starts to send: connecting can take up to
        # the timeout, and a person watching the status bar should know mail is under way.
        self.on_sending: Callable[[str, int], None] | None = None

    def run_once(self, stop: Callable[[], bool] = lambda: False) -> Report:
        now = self._clock.now()
        report = Report()
        report.queued_reminders = self._outbox.create_due_reminders(
            now, self._leads, since=self._last_pass
        )
        self._last_pass = now
        settings = self._settings()
        if settings != self._settings_seen:  # an edited .env: the old server's outage is past
            self._settings_seen = settings
            self._unreachable_since = None
        if not settings.configured:
            report.problem = "No mail server is set; emails wait in the outbox."
        elif self._paused_with is not None and settings == self._paused_with:
            report.paused = True
            report.problem = self._pause_reason
        else:
            self._paused_with = None
            self._send_due(settings, now, report, stop)
        report.waiting = self._outbox.waiting()
        report.undelivered = self._outbox.failed_ahead(now)
        report.unreachable_since = self._unreachable_since
        if self._unreachable_since is not None and not report.problem:
            report.problem = f"Mail server unreachable: {self._unreachable_why}"
        return report

    def _send_due(
        self, settings: MailSettings, now: datetime, report: Report, stop: Callable[[], bool]
    ) -> None:
        self._outbox.requeue_abandoned(now, timedelta(seconds=3 * settings.timeout + 60))
        claimed = self._outbox.claim_due(now, BATCH)
        if not claimed:
            return
        if self.on_sending is not None:
            self.on_sending(settings.host, len(claimed))
        transport = self._transport_factory(settings)
        self.current = transport
        try:
            try:
                transport.open()
            except SendError as error:
                self._connection_failed(error, claimed, now, report)
                return
            self._unreachable_since = None
            # Batch after batch over the one connection while messages are due: each batch
            # is claimed afresh, so none is held long enough to look abandoned.
            while claimed:
                if not self._send_batch(transport, claimed, settings, now, report, stop):
                    return
                claimed = self._outbox.claim_due(now, BATCH)
        finally:
            transport.close()
            self.current = None
            self.renderer.close(wait=not stop())

    def _send_batch(
        self,
        transport: SmtpTransport,
        claimed: Sequence[OutboxMessage],
        settings: MailSettings,
        now: datetime,
        report: Report,
        stop: Callable[[], bool],
    ) -> bool:
        """Sends the claimed messages; False when the connection is no longer worth using."""
        # What a batch left early did not use is dropped when the pass closes the renderer.
        rendered = self.renderer.render_all(claimed, settings, now, stop)
        for index, (message, email) in enumerate(zip(claimed, rendered, strict=True)):
            if stop():
                self._outbox.release([m.id for m in claimed[index:]], "sending was stopped")
                return False
            if not isinstance(email, bytes):  # a row no desk could have written
                self._outbox.mark_failed(message.id, f"the email could not be written: {email}")
                report.failed += 1
                log.error("message #%d could not be composed: %s", message.id, email)
                continue
            try:
                transport.send(email, settings.sender, message.recipient)
            except SendError as error:
                if error.verdict is Verdict.PAUSE:
                    self._pause(settings, error, [m.id for m in claimed[index:]], report)
                    return False
                self._settle(
                    message.id, message.attempts, message.first_attempt, error, now, report
                )
                if error.verdict is Verdict.RETRY:  # the connection is likely gone
                    for rest in claimed[index + 1 :]:  # never offered to the server
                        self._settle(
                            rest.id, rest.attempts, rest.first_attempt, error, now, report, False
                        )
                    return False
                continue
            self._outbox.mark_sent(message.id, self._clock.now())
            report.sent += 1
            report.sent_ids.append(message.id)
            log.info("sent %s #%d for booking #%d", message.kind, message.id, message.booking_id)
        return True

    def _connection_failed(
        self, error: SendError, messages: Sequence[OutboxMessage], now: datetime, report: Report
    ) -> None:
        if error.verdict is Verdict.PAUSE:
            self._pause(self._settings(), error, [m.id for m in messages], report)
            return
        if self._unreachable_since is None:
            self._unreachable_since = now
            log.warning("mail server unreachable: %s", error.reason)
        self._unreachable_why = error.reason
        report.problem = f"Mail server unreachable: {error.reason}"
        for message in messages:  # no server had them: none can have been delivered
            self._settle(
                message.id, message.attempts, message.first_attempt, error, now, report, False
            )

    def _settle(
        self,
        message_id: int,
        attempts: int,
        first_attempt: datetime | None,
        error: SendError,
        now: datetime,
        report: Report,
        reached: bool = True,
    ) -> None:
        """Fail the message for good or schedule its next try; ``reached`` False when this
        try never got as far as a mail server."""
        started = first_attempt or now
        if error.verdict is Verdict.FAILED or now - started >= GIVE_UP_AFTER:
            reason = (
                error.reason
                if error.verdict is Verdict.FAILED
                else (f"gave up after 24 hours of retries; last: {error.reason}")
            )
            self._outbox.mark_failed(message_id, reason, reached)
            report.failed += 1
            log.warning("message #%d failed: %s", message_id, reason)
            return
        when = next_attempt(now, attempts)
        self._outbox.mark_retry(message_id, error.reason, when, reached)
        report.retrying += 1
        log.info(
            "message #%d will be tried again at %s: %s", message_id, when.isoformat(), error.reason
        )

    def _pause(
        self, settings: MailSettings, error: SendError, ids: list[int], report: Report
    ) -> None:
        self._outbox.release(ids, error.reason)
        self._paused_with = settings
        self._pause_reason = f"Sending is paused: {error.reason}."
        report.paused = True
        report.problem = self._pause_reason
        log.error("sending paused: %s", error.reason)
