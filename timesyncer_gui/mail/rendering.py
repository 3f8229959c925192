"""Turning claimed outbox messages into the bytes to send, in order: here, or, for a backlog,
in a second process so that one core composes while the other sends.

Composing an email (EmailMessage and icalendar, both plain Python) costs about as much as
sending it to a nearby server, and both hold the interpreter's lock, so a thread cannot
overlap them; a process can. Starting one costs a few tenths of a second, worth it only when
many emails are due at once: after the mail server was down, or the desk was closed. If the
helper cannot start, dies or stalls, the emails are composed here; none is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, tzinfo
from email.errors import MessageError

from ..domain.outbox import OutboxMessage
from .compose import render
from .config import MailSettings

log = logging.getLogger(__name__)

# From this many emails due in one pass, a second process composes them.
PARALLEL_FROM = 20
# How long to wait for the helper's next email (the first includes starting it) before
# composing here instead; checked for a stop request every POLL seconds meanwhile.
PATIENCE = 30.0
POLL = 0.1

Rendered = bytes | Exception  # the email, or why this row cannot become one


class Renderer:
    """Renders emails for one sender. The helper process lives for one pass (``close()``);
    one that failed is not tried again while the app runs."""

    def __init__(self, tz: tzinfo, desk_name: str = "", parallel_from: int = PARALLEL_FROM) -> None:
        self._tz = tz
        self._desk_name = desk_name
        self._parallel_from = parallel_from
        self._pool: ProcessPoolExecutor | None = None
        self._given_up = False
        self.rendered_apart = 0  # emails the helper composed, for the log and the tests

    def render_all(
        self,
        messages: Sequence[OutboxMessage],
        settings: MailSettings,
        now: datetime,
        stop: Callable[[], bool] = lambda: False,
    ) -> Generator[Rendered, None, None]:
        """Each message's bytes, or the error that kept it from being written, in order. The
        helper starts with the first batch large enough to be worth it."""
        if self._pool is None and not self._given_up and len(messages) >= self._parallel_from:
            self._pool = _start_pool()
            self._given_up = self._pool is None
        futures = self._submit(messages, settings, now) if self._pool is not None else []
        try:
            for index, message in enumerate(messages):
                done = self._collect(futures[index], stop) if futures else None
                yield done if done is not None else self._here(message, settings, now)
        finally:  # the sender stopped early: what was not yet composed is not needed
            for future in futures:
                future.cancel()

    def _submit(
        self, messages: Sequence[OutboxMessage], settings: MailSettings, now: datetime
    ) -> list[Future[bytes]]:
        assert self._pool is not None
        # The helper never sees the password: composing needs only the sender's address.
        quiet = settings._replace(password="")
        try:
            return [
                self._pool.submit(render, m, quiet, self._tz, now, self._desk_name)
                for m in messages
            ]
        except (OSError, RuntimeError) as exc:  # BrokenProcessPool is a RuntimeError
            self._give_up(f"it could not take the emails ({exc})")
            return []

    def _collect(self, future: Future[bytes], stop: Callable[[], bool]) -> Rendered | None:
        """The helper's result; None when it is to be composed here instead."""
        waited = 0.0
        while not self._given_up:
            try:
                data = future.result(timeout=POLL)
            except FutureTimeout:
                waited += POLL
                if stop():
                    return None  # the sender sees the stop itself and releases the rest
                if waited >= PATIENCE:
                    self._give_up(f"it gave no email for {PATIENCE:g} s")
                continue
            except (ValueError, MessageError) as exc:  # this row cannot become an email
                return exc
            except BrokenProcessPool:
                self._give_up("it stopped")
            except Exception:  # not the row's fault, perhaps: try it here
                log.exception("the helper process could not compose an email")
                return None
            else:
                self.rendered_apart += 1
                return data
        return None

    def _here(self, message: OutboxMessage, settings: MailSettings, now: datetime) -> Rendered:
        try:
            return render(message, settings, self._tz, now, self._desk_name)
        except Exception as exc:  # the row fails alone, with the reason, and the rest go
            if not isinstance(exc, ValueError | MessageError):
                log.exception("message #%d could not be composed", message.id)
            return exc

    def _give_up(self, why: str) -> None:
        log.warning("emails are composed in the sender from now on: the helper process %s", why)
        self._given_up = True
        self._end_pool(wait=False)

    def close(self, wait: bool = True) -> None:
        """Ends the helper: what it has not begun is dropped, and it is at most one email
        from done, so waiting takes milliseconds and leaves no thread behind. When the app
        is closing (``wait=False``), a helper still starting up is not waited for."""
        self._end_pool(wait=wait)

    def _end_pool(self, wait: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=wait, cancel_futures=True)
            log.info("the helper process has composed %d email(s) in all", self.rendered_apart)


def _start_pool() -> ProcessPoolExecutor | None:
    """One helper process, started fresh ("spawn") on every system: forking a process that
    runs Qt and other threads is unsafe. None when no process can be started here.

    A started helper may import the app's ``__main__`` again, as the program it was started
    from, and with it the garbage collector's pause for start-up: it collects from the start.
    """
    import gc
    import multiprocessing

    try:
        return ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=gc.enable
        )
    except (OSError, NotImplementedError, ImportError) as exc:
        log.warning("emails are composed in the sender: no helper process could start (%s)", exc)
        return None
