"""Turning claimed outbox messages into the bytes to send, in order: here, or, for a backlog,
in a second process so that one core composes while the other sends.

Composing an email (EmailMessage and icalendar, both plain Python) costs about as much as
sending it to a nearby server, and both hold the interpreter's lock, so a thread cannot
overlap them; a process can. Starting one costs a few tenths of a second, worth it only when
many emails are due at once: after the mail server was down, or the desk was closed.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, tzinfo
from email.errors import MessageError

from ..domain.outbox import OutboxMessage
from .compose import render
from .config import MailSettings

log = logging.getLogger(__name__)

# From this many emails due in one pass, a second process composes them.
PARALLEL_FROM = 20


class Renderer:
    """Renders the emails of one sending pass. ``close()`` ends the helper process, if any."""

    def __init__(self, tz: tzinfo, desk_name: str = "", parallel_from: int = PARALLEL_FROM) -> None:
        self._tz = tz
        self._desk_name = desk_name
        self._parallel_from = parallel_from
        self._pool: ProcessPoolExecutor | None = None
        self._pool_broken = False
        self.rendered_apart = 0  # emails the helper process composed, for the log and tests
        self._apart_at_start = 0

    def render_all(
        self, messages: Sequence[OutboxMessage], settings: MailSettings, now: datetime
    ) -> Iterator[bytes | ValueError | MessageError]:
        """Each message's bytes, or the error that kept it from being written, in order. The
        helper process starts with the first batch large enough to be worth it."""
        if self._pool is None and not self._pool_broken and len(messages) >= self._parallel_from:
            self._pool = _start_pool()
            self._pool_broken = self._pool is None
            self._apart_at_start = self.rendered_apart
        if self._pool is None:
            for message in messages:
                yield self._here(message, settings, now)
            return
        # The helper never sees the password: composing needs only the sender's address.
        quiet = dataclasses.replace(settings, password="")
        try:
            futures = [
                self._pool.submit(render, m, quiet, self._tz, now, self._desk_name)
                for m in messages
            ]
        except (OSError, RuntimeError) as exc:  # BrokenProcessPool is a RuntimeError
            log.warning("emails are composed in this process: the second one failed (%s)", exc)
            self._pool_broken = True
            for message in messages:
                yield self._here(message, settings, now)
            return
        try:
            for message, future in zip(messages, futures, strict=True):
                yield self._collect(future, message, settings, now)
        finally:  # the consumer stopped early: what was not yet composed is not needed
            for future in futures:
                future.cancel()

    def _collect(
        self,
        future: Future[bytes],
        message: OutboxMessage,
        settings: MailSettings,
        now: datetime,
    ) -> bytes | ValueError | MessageError:
        if not self._pool_broken:
            try:
                data = future.result()
            except (ValueError, MessageError) as exc:
                return exc
            except BrokenProcessPool:
                log.warning("the process composing emails stopped; composing them here")
                self._pool_broken = True
            else:
                self.rendered_apart += 1
                return data
        return self._here(message, settings, now)

    def _here(
        self, message: OutboxMessage, settings: MailSettings, now: datetime
    ) -> bytes | ValueError | MessageError:
        try:
            return render(message, settings, self._tz, now, self._desk_name)
        except (ValueError, MessageError) as exc:
            return exc

    def close(self) -> None:
        """Ends the helper process: what it has not begun is dropped, and it is at most one
        email from done, so this takes milliseconds and leaves no thread behind."""
        pool, self._pool = self._pool, None
        self._pool_broken = False
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            log.info(
                "a second process composed %d email(s)", self.rendered_apart - self._apart_at_start
            )


def _start_pool() -> ProcessPoolExecutor | None:
    """One helper process, started fresh ("spawn") on every system: forking a process that
    runs Qt and other threads is unsafe. None when no process can be started here."""
    import multiprocessing

    try:
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError, ImportError) as exc:
        log.warning("emails are composed in this process: no second one could start (%s)", exc)
        return None
