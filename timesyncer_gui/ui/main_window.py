"""The main window: the Desk tab for the front desk and the Admin tab for the table.

It also keeps what a person expects of a desktop window: menus with shortcuts, a status bar,
its size and layout remembered, and changes from other desks shown within a second or two.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QVBoxLayout, QWidget

from ..desk import Desk
from ..domain.errors import TimeSyncerError
from ..domain.models import Booking
from ..paths import resource_path
from .desk_page import DeskPage
from .first_paint import after_first_paint
from .theme import follow_scheme, make_quiet

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QShowEvent

    from ..mail.sender import Report
    from ..services.notifier import Notifier
    from .admin_page import AdminPage
    from .outbox_page import OutboxPage
    from .undo_keys import UndoCancelFirst

log = logging.getLogger(__name__)

POLL_MS = 1000
# The most of a small screen's free area a new window takes: Qt centres a new window itself
# only below 8/9 of it, and the rest leaves the frame and title bar room.
_FIRST_RUN_SHARE = 0.85


class MainWindow(QMainWindow):
    """Owns the desk's repository when ``owns_repository`` and closes it with the window."""

    def __init__(
        self,
        desk: Desk,
        *,
        owns_repository: bool = True,
        state_file: Path | None = None,
        notifier_factory: Callable[[], Notifier] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._scheme_seen = self._scheme()  # before anything can send a palette change
        self.desk = desk
        self._owns_repository = owns_repository
        self._state = QSettings(str(state_file), QSettings.Format.IniFormat) if state_file else None
        self.setWindowTitle("TimeSyncer")
        # The icon is the window manager's, not part of the window's content: set once the
        # content has painted, so loading it (and PySide6's icon and image types) waits too.
        after_first_paint(self, self._set_icon)

        self.desk_page = DeskPage(desk)
        # The Admin tab is built the first time it is needed: the first paint never shows it.
        self._admin: AdminPage | None = None
        self.admin_tab = QWidget()
        QVBoxLayout(self.admin_tab).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.desk_page, "Desk")
        self.tabs.addTab(self.admin_tab, "Admin")
        self._outbox: OutboxPage | None = None
        self.mail_tab = QWidget()
        QVBoxLayout(self.mail_tab).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.mail_tab, "Mail")
        self.tabs.currentChanged.connect(self._on_tab)
        self.setCentralWidget(self.tabs)

        self.mail_status = QLabel("Mail: starting" if notifier_factory else "Mail: off")
        self.mail_status.setAccessibleName("Mail status")
        self.statusBar().addPermanentWidget(self.mail_status)
        zone = QLabel(f"{desk.schedule.timezone} · {desk.schedule.hours.describe()}")
        make_quiet(zone)
        self.statusBar().addPermanentWidget(zone)
        self._notifier_factory = notifier_factory
        self.notifier: Notifier | None = None
        self.last_mail_report: Report | None = None
        # The menus' titles are on the first screen. Their actions and shortcuts follow just
        # after it is painted: QAction's and QKeySequence's types alone take ~7 ms to create.
        self._menus = [self.menuBar().addMenu(t) for t in ("&File", "&Booking", "&View")]
        self._undo_keys: UndoCancelFirst | None = None
        after_first_paint(self, self._build_actions)

        self.desk_page.changed.connect(self._refresh_admin)
        self.desk_page.changed.connect(self._wake_mail)
        self.desk_page.status.connect(lambda text: self.statusBar().showMessage(text, 8000))

        self._seen_change = self._change_counter()
        self._polled_at = desk.clock.now()
        self._next_turn = desk.next_turn(self._polled_at)
        self._today = desk.today()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_changes)
        self.poll_timer.start()
        self._shown_once = False
        self._restore_state()
        if self.tabs.currentWidget() is self.desk_page:
            # The keyboard starts on the calendar, first in the desk's tab order, rather than
            # on the tab bar, where the arrow keys would switch tabs.
            self.desk_page.calendar.setFocus()

    def _set_icon(self) -> None:
        icon = resource_path("icon.png")
        if icon.is_file():
            from PySide6.QtGui import QIcon

            self.setWindowIcon(QIcon(str(icon)))

    @property
    def admin_page(self) -> AdminPage:
        """The Admin tab's page, built on first use."""
        if self._admin is None:
            from .admin_page import AdminPage

            self._admin = AdminPage(self.desk)
            self._admin.open_booking.connect(self.open_booking)
            layout = self.admin_tab.layout()
            assert layout is not None
            layout.addWidget(self._admin)
            if self._undo_keys is not None:
                self._undo_keys.watch(self._admin)
        return self._admin

    @property
    def outbox_page(self) -> OutboxPage:
        """The Mail tab's page, built on first use."""
        if self._outbox is None:
            from .outbox_page import OutboxPage

            self._outbox = OutboxPage(self.desk.repository, self.desk.schedule.timezone)
            self._outbox.retry_requested.connect(self.retry_message)
            layout = self.mail_tab.layout()
            assert layout is not None
            layout.addWidget(self._outbox)
            self._outbox.refresh()
            self._tell_mail_tab()
        return self._outbox

    def _on_tab(self, index: int) -> None:
        """Fill the tab being opened. A database that fails here is said in the status bar
        and the tab stays empty: this runs from Qt's signals (even while the window is being
        shown), where an exception would leave Qt in an undefined state."""
        try:
            if self.tabs.widget(index) is self.admin_tab:
                self.admin_page.ensure_model()
            elif self.tabs.widget(index) is self.mail_tab:
                self.outbox_page.refresh()
        except TimeSyncerError as exc:
            log.warning("could not open the %s tab: %s", self.tabs.tabText(index), exc.message)
            self.statusBar().showMessage(exc.message)

    # -- mail ------------------------------------------------------------------------------

    def start_mail(self) -> None:
        """Start the notifier thread; called once the window is on screen."""
        if self.notifier is None and self._notifier_factory is not None:
            self.notifier = self._notifier_factory()
            self.notifier.report.connect(self._on_mail_report)
            self.notifier.sending.connect(self._on_mail_sending)
            self.notifier.start()

    def _wake_mail(self) -> None:
        if self.notifier is not None:
            self.notifier.wake()

    def retry_message(self, message_id: int) -> None:
        try:
            self.desk.repository.outbox.retry_now(message_id, self.desk.clock.now())
        except TimeSyncerError as exc:
            self.statusBar().showMessage(exc.message, 8000)
            return
        self._wake_mail()
        if self._outbox is not None:
            self._outbox.refresh()

    def _on_mail_report(self, report: Report) -> None:
        self.last_mail_report = report
        self.mail_status.setText(mail_status_text(report, self.desk.schedule.timezone))
        self._tell_mail_tab()
        if self._outbox is not None and self.tabs.currentWidget() is self.mail_tab:
            self._outbox.refresh()
        self.desk_page.refresh_mail()

    def _on_mail_sending(self, server: str, count: int) -> None:
        """Until the pass reports, say that mail is under way: a slow server can take the
        whole timeout to answer."""
        self.mail_status.setText(f"Sending {_emails(count)} via {server}…")
        self._tell_mail_tab()

    def _tell_mail_tab(self) -> None:
        """The Mail tab says what the status bar says of mail: why emails wait, above them."""
        report = self.last_mail_report
        if self._outbox is not None and report is not None:
            trouble = bool(report.problem or report.unreachable_since or report.undelivered)
            text = self.mail_status.text()
            if report.unreachable_since is not None and report.problem:
                # The status bar has room for since when; here there is room for why too.
                text += f" ({report.problem.partition(': ')[2] or report.problem})"
            self._outbox.show_mail_state(text, trouble)

    def _refresh_admin(self) -> None:
        if self._admin is not None:
            self._admin.refresh()

    def sizeHint(self) -> QSize:
        return QSize(1100, 680)

    def _place_first_time(self) -> None:
        """Where a window opens before one is remembered: at its size hint, where the system
        puts new windows, on a screen with room for it. On a smaller screen (a laptop at 150%
        has about 910 by 510 to spare) it takes at most 85% of the free area, centred, so its
        frame and title bar are on the screen too (Qt centres a new window itself only when it
        is well within the screen)."""
        hint = self.sizeHint()
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        if room is None:
            self.resize(hint)
            return
        most = QSize(int(room.width() * _FIRST_RUN_SHARE), int(room.height() * _FIRST_RUN_SHARE))
        if hint.boundedTo(most) == hint:
            self.resize(hint)
            return
        size = hint.boundedTo(most).expandedTo(self.minimumSizeHint())
        self.resize(size)
        self.move(
            room.x() + max((room.width() - size.width()) // 2, 0),
            room.y() + max((room.height() - size.height()) // 2, 0),
        )

    # -- menus -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        """The menus' actions with their shortcuts, added just after the first paint."""
        from PySide6.QtGui import QAction, QKeySequence

        def action(text: str, shortcut: str, slot: object) -> QAction:
            act = QAction(text, self)
            # setShortcuts, not setShortcut, whose overloads build PySide6's Qt namespace
            # (see painting.py).
            act.setShortcuts([QKeySequence(shortcut)])
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        file_menu, booking_menu, view_menu = self._menus
        from .undo_keys import UndoCancelFirst

        self._undo_keys = UndoCancelFirst(self.desk_page, self)
        self.quit_action = action("&Quit", "Ctrl+Q", self.close)
        file_menu.addAction(self.quit_action)

        self.new_action = action("&New booking", "Ctrl+N", self.new_booking)
        self.undo_action = action("&Undo cancel", "Ctrl+Z", self.desk_page.undo_cancel)
        self.refresh_action = action("&Refresh", "F5", self.refresh_all)
        for act in (self.new_action, self.undo_action, self.refresh_action):
            booking_menu.addAction(act)
        self._update_undo()
        self.desk_page.changed.connect(self._update_undo)

        self.desk_action = action("&Desk", "Ctrl+1", lambda: self.tabs.setCurrentIndex(0))
        self.admin_action = action("&Admin", "Ctrl+2", lambda: self.tabs.setCurrentIndex(1))
        self.mail_action = action("&Mail", "Ctrl+3", lambda: self.tabs.setCurrentIndex(2))
        self.find_action = action("&Find booking", "Ctrl+F", self.find)
        for act in (self.desk_action, self.admin_action, self.mail_action, self.find_action):
            view_menu.addAction(act)

    def _update_undo(self) -> None:
        """Undo cancel is offered only while there is a cancel to undo."""
        self.undo_action.setEnabled(self.desk_page.last_cancelled is not None)

    def new_booking(self) -> None:
        self.tabs.setCurrentWidget(self.desk_page)
        self.desk_page.new_booking()

    def find(self) -> None:
        self.tabs.setCurrentWidget(self.admin_tab)
        self.admin_page.search_edit.setFocus()
        self.admin_page.search_edit.selectAll()

    def open_booking(self, booking: Booking) -> None:
        self.tabs.setCurrentWidget(self.desk_page)
        self.desk_page.select_booking(booking)
        self.desk_page.focus_panel()

    # -- keeping up with other desks -------------------------------------------------------

    def _change_counter(self) -> int:
        try:
            return self.desk.repository.change_counter()
        except TimeSyncerError:
            return -1

    def poll_changes(self) -> None:
        """Another desk or a script committed, or a slot began (the one before is past now,
        and today's shade counts one slot fewer): show it without anyone clicking."""
        counter = self._change_counter()
        now = self.desk.clock.now()
        turned = now > self._next_turn or now < self._polled_at  # (the clock set back)
        self._polled_at = now
        if counter != self._seen_change or turned:
            self._seen_change = counter
            self._next_turn = self.desk.next_turn(now)
            log.debug("database changed elsewhere, or a slot began; refreshing")
            self.refresh_all()
            self._follow_today()

    def _follow_today(self) -> None:
        """At midnight the desk that was showing today goes on showing today."""
        today = self.desk.today()
        if today != self._today:
            if self.desk_page.calendar.selected_day() == self._today:
                self.desk_page.show_day(today)
            self._today = today

    def refresh_all(self) -> None:
        self.desk_page.refresh()
        self._refresh_admin()

    # -- remembered state ------------------------------------------------------------------

    def _restore_state(self) -> None:
        state = self._state
        geometry = state.value("window/geometry") if state is not None else None
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            self._place_first_time()
        if state is None:
            return
        tab = state.value("window/tab", 0)
        self.tabs.setCurrentIndex(int(tab) if str(tab).isdigit() else 0)
        resource = state.value("desk/resource", 1)  # the room a desk works with, on several
        if str(resource).isdigit():
            self.desk_page.choose_resource(int(resource))

    def changeEvent(self, event: QEvent) -> None:
        """The system switched between its light and dark scheme (or changed its accent):
        recolour what the app coloured itself (messages, the Book button, the day's "Free")."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "desk_page"):
            scheme = self._scheme()
            if scheme != self._scheme_seen:
                self._scheme_seen = scheme
                follow_scheme(self)
                self.desk_page.load_day()

    def _scheme(self) -> tuple[int, int]:
        palette = self.palette()
        return (
            palette.color(QPalette.ColorRole.Window).rgb(),
            palette.color(QPalette.ColorRole.Highlight).rgb(),
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            # Sizes apply once the window has its real width, or the splitter rescales them.
            splitter = self._state.value("desk/splitter") if self._state else None
            if isinstance(splitter, QByteArray) and not splitter.isEmpty():
                self.desk_page.splitter.restoreState(splitter)

    def _save_state(self) -> None:
        state = self._state
        if state is None:
            return
        state.setValue("window/geometry", self.saveGeometry())
        state.setValue("desk/splitter", self.desk_page.splitter.saveState())
        state.setValue("window/tab", self.tabs.currentIndex())
        state.setValue("desk/resource", self.desk_page.resource_id())
        state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.poll_timer.stop()
        if self.notifier is not None:
            self.notifier.stop(5000)
        self._save_state()
        if self._owns_repository:
            self.desk.repository.close()
            self._owns_repository = False
        super().closeEvent(event)


def mail_status_text(report: Report, tz: object) -> str:
    """One line for the status bar: all sent, how many wait or failed, or why mail is stuck."""
    if report.unreachable_since is not None:
        since = report.unreachable_since.astimezone(tz)  # type: ignore[arg-type]
        return f"Mail server unreachable since {since:%H:%M} · {report.waiting} waiting"
    if report.problem:
        return report.problem
    if report.undelivered:
        failed = f"{_emails(report.undelivered)} failed: see the Mail tab"
        return failed + (f" · {report.waiting} waiting" if report.waiting else "")
    return f"{_emails(report.waiting)} waiting" if report.waiting else "All emails sent"


def _emails(count: int) -> str:
    return f"{count} email{'s' if count != 1 else ''}"
