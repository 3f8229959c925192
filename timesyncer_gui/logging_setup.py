"""Logging for the whole app, set up once at start: a rotating ``app.log`` and stderr.

Uncaught exceptions, in the main thread or any other, are logged with their traceback and
handed to a ``report`` callback so the person sees them; none is swallowed.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from .settings import Settings

LOG_FILENAME = "app.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

log = logging.getLogger(__name__)


def setup_logging(settings: Settings) -> Path:
    """Route every logger to ``<log dir>/app.log`` (rotated at 1 MB, 5 kept); return its path.

    Calling it again replaces the handlers it installed, so tests can set it up repeatedly.
    """
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    path = settings.log_dir / LOG_FILENAME
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_timesyncer", False)]:
        root.removeHandler(handler)
        handler.close()

    file_handler = RotatingLog(path, MAX_BYTES, BACKUPS)
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    console = logging.StreamHandler(sys.stderr) if sys.stderr is not None else None
    for handler in (file_handler, console):
        if handler is None:
            continue
        handler._timesyncer = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    if console is not None:
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        # A record logged with extra={"told": True} is also said to the person another way
        # (a line on stderr, a dialog): the log file keeps it, the console does not repeat it.
        console.addFilter(lambda record: not getattr(record, "told", False))
    root.setLevel(settings.log_level)
    # The log is best effort: on a full disk, the sentence the person needs must not be
    # buried under the logging module's own tracebacks about the file it cannot write.
    logging.raiseExceptions = False
    return path


class RotatingLog(logging.FileHandler):
    """A log file that moves aside to ``.1`` (then ``.2`` up to ``backups``) past ``max_bytes``.

    ``logging.handlers.RotatingFileHandler`` does the same, but importing ``logging.handlers``
    brings socket, pickle and queue with it, a noticeable share of the start-up time, for one
    file. Records are written under the handler's lock, so threads cannot interleave a rollover.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, mode="a", encoding="utf-8")
        self.max_bytes, self.backups = max_bytes, backups

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._roll_over()
        except Exception:
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, os.SEEK_END)
        size = self.stream.tell()
        return size > 0 and size + len(self.format(record)) + 1 >= self.max_bytes

    def _roll_over(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]
        for number in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        if os.path.exists(self.baseFilename):
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


def install_exception_hooks(
    report: Callable[[str], None] | None = None, log_file: Path | None = None
) -> None:
    """Log any uncaught exception with its traceback, then tell the person through ``report``
    what happened and where ``log_file`` (the details) is."""

    def handle(
        kind: type[BaseException],
        value: BaseException,
        tb: TracebackType | None,
        thread: str | None = None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        where = f" in thread {thread}" if thread else ""
        log.critical("uncaught exception%s", where, exc_info=(kind, value, tb))
        if report is not None:
            what = str(value).rstrip(". ") or kind.__name__
            details = f"The details are in {log_file}." if log_file else "The details are logged."
            report(f"An unexpected error happened{where}: {what}. {details}")

    sys.excepthook = handle

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "unknown"
        handle(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback, name)

    threading.excepthook = thread_hook
