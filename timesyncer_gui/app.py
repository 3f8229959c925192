"""The composition root: settings, then logging, then the repository, then the window."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# The window's plain-Python parts are imported here, before PySide6. Once PySide6 is loaded,
# every later import has its module's source read by PySide's feature hook, a cost a module
# imported first never pays.
from . import __version__
from . import availability as _availability  # noqa: F401
from .desk import Desk
from .domain.clock import Clock, SystemClock
from .settings import Settings, SettingsError
from .storage import open_repository
from .ui import formatting as _formatting  # noqa: F401

if TYPE_CHECKING:
    from .services.notifier import Notifier
    from .storage import Repository
    from .ui.main_window import MainWindow

log = logging.getLogger(__name__)

EXIT_BAD_SETTINGS = 2
EXIT_CANNOT_START = 1


def create_main_window(
    settings: Settings,
    *,
    repository: Repository | None = None,
    clock: Clock | None = None,
    mail: bool = True,
    reload_settings: Callable[[], Settings] | None = None,
    mail_tick_ms: int | None = None,
) -> MainWindow:
    """The real main window, built but not shown; a QApplication must already exist.

    With no ``repository`` the one named by ``settings.db_url`` is opened, and closed again
    when the window closes. With ``mail`` a notifier thread sends the outbox once the window
    calls ``start_mail()`` (``main`` does so after the first paint); ``reload_settings``
    lets it pick up an edited .env without a restart.
    """
    from .ui.main_window import MainWindow

    owns = repository is None
    chosen_clock = clock or SystemClock()
    repo = (
        repository
        if repository is not None
        else open_repository(settings.db_url, clock=chosen_clock)
    )
    desk = Desk(repo, settings.schedule, chosen_clock)

    def make_notifier() -> Notifier:
        # Imported when mail starts, after the first paint: smtplib, ssl and the email
        # package are a noticeable share of start-up.
        from .services.notifier import TICK_MS, Notifier

        return Notifier(settings, chosen_clock, reload_settings, mail_tick_ms or TICK_MS)

    return MainWindow(
        desk,
        owns_repository=owns,
        state_file=settings.data_dir / "window.ini",
        notifier_factory=make_notifier if mail else None,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="timesyncer", description="TimeSyncer: the front-desk booking app."
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep every file (database, logs, .env) under DIR",
    )
    parser.add_argument("--version", action="version", version=f"TimeSyncer {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the window, book and cancel in a temporary folder, compose an email; exit 0 "
        "if all of it works",
    )
    parser.add_argument(
        "--exit-after-paint",
        action="store_true",
        help="quit as soon as the window has painted once (start-up timing, smoke tests)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the app; returns the process exit code (2 for a bad setting)."""
    args = parse_args(argv)
    if args.self_test:  # not a start-up to hurry
        gc.enable()
        from .self_test import run_self_test

        return run_self_test()
    try:
        settings = Settings.load(data_dir=args.data_dir)
    except SettingsError as exc:
        return _startup_failure(exc.message, EXIT_BAD_SETTINGS)

    from .logging_setup import install_exception_hooks, setup_logging

    try:
        log_file = setup_logging(settings)
    except OSError as exc:
        return _startup_failure(
            f"TimeSyncer cannot write its log in {settings.log_dir} ({exc.strerror}). "
            "Choose a folder you can write to with --data-dir.",
            EXIT_CANNOT_START,
        )
    log.info(
        "TimeSyncer %s starting; data in %s, log in %s", __version__, settings.data_dir, log_file
    )

    from PySide6.QtWidgets import QApplication

    from .domain.errors import TimeSyncerError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("TimeSyncer")
    app.setOrganizationName("TimeSyncer")
    app.setApplicationVersion(__version__)
    try:
        window = create_main_window(
            settings, reload_settings=lambda: Settings.load(data_dir=args.data_dir)
        )
    except TimeSyncerError as exc:
        log.error("cannot start: %s", exc.message, extra={"told": True})  # said just below
        return _startup_failure(exc.message, EXIT_CANNOT_START)

    from .ui.error_reporter import ErrorReporter

    reporter = ErrorReporter(window)
    install_exception_hooks(reporter.report, log_file)
    from .ui.first_paint import after_first_paint

    after_first_paint(window, _resume_collection)
    if args.exit_after_paint:  # timing and smoke tests: no background work is started

        def report_and_quit() -> None:
            # The moment of the first paint, for start-up benchmarks; then leave.
            print(f"first paint at {time.time():.6f}", flush=True)
            app.quit()

        after_first_paint(window, report_and_quit, at_latest_ms=None)
    else:
        after_first_paint(window, window.start_mail)
    window.show()
    log.info("main window shown")
    code = app.exec()
    window.close()  # stops the mail notifier and saves the layout, however the loop ended
    log.info("TimeSyncer stopped (exit code %d)", code)
    return int(code)


def _resume_collection() -> None:
    """Start-up is over (``__main__`` paused the garbage collector for it): what it left
    behind is freed, what lives as long as the app is set aside for good, and collection
    resumes for the rest."""
    gc.collect()
    gc.freeze()
    gc.enable()


def _startup_failure(message: str, code: int) -> int:
    """Say why start-up stopped: on stderr, and in a dialog when there is a screen to show it."""
    gc.enable()
    if sys.stderr is not None:
        print(f"timesyncer: {message}", file=sys.stderr)
    if _has_screen():
        from PySide6.QtWidgets import QApplication

        from .ui.error_reporter import startup_error_box

        _app = QApplication.instance() or QApplication(sys.argv[:1])
        startup_error_box(message).exec()
    return code


def _has_screen() -> bool:
    """False in terminals and tests that run Qt offscreen, where a modal dialog would hang."""
    import os

    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal")):
        return False
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True
