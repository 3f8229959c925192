"""The Admin tab: every booking in a table, searchable, filterable, sortable by any column.

It opens on what a front desk asks about most: the bookings from today on, soonest first.
**All dates** shows the whole history; **Upcoming** comes back to today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from ..domain.errors import TimeSyncerError
from ..domain.models import BookingStatus
from ..storage import BookingQuery
from .bookings_model import COLUMNS, BookingTableModel
from .date_filter import ANY_DATE, DateFilter
from .flow_layout import FlowLayout
from .theme import make_quiet, set_tone

SEARCH_DELAY_MS = 250
# The search box keeps room for this many characters, whatever else the filter row shows.
SEARCH_MIN_CHARS = 20
# The current booking, remembered across a reload: its id and the column the cursor was in.
Kept = tuple[int, int]


class AdminPage(QWidget):
    """Builds its model the first time it is shown, so start-up does not pay for it."""

    open_booking = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.model: BookingTableModel | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Name or email")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search")
        self.search_edit.setMinimumWidth(self._search_min_width())
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.status_combo.addItem("All", None)
        self.status_combo.addItem("Booked", BookingStatus.BOOKED)
        self.status_combo.addItem("Cancelled", BookingStatus.CANCELLED)
        self.from_edit = DateFilter("From", self._from_start)
        self.to_edit = DateFilter("To", self._to_start)
        self.range_message = QLabel("The From date is after the To date.")
        self.range_message.setWordWrap(True)  # its own line, under the dates: it squeezes nothing
        set_tone(self.range_message, "error")
        self.range_message.hide()
        self.upcoming_button = QPushButton("Upcoming")
        self.upcoming_button.setAccessibleName("Upcoming")
        self.upcoming_button.setToolTip("Bookings from today on")
        self.all_dates_button = QPushButton("All dates")
        self.all_dates_button.setAccessibleName("All dates")
        self.all_dates_button.setToolTip("Every booking, past ones too")
        self._set_dates(self._today(), ANY_DATE)
        self.summary = QLabel()
        make_quiet(self.summary)
        self.message = QLabel()
        self.message.setWordWrap(True)  # a database error names a path: wrap, never widen
        set_tone(self.message, "error")

        # One row on a desk's monitor; on a small screen the groups wrap onto a second line
        # rather than widening the window past the screen's edge.
        filters = FlowLayout()
        searching = _group(("Search", self.search_edit), ("Status", self.status_combo))
        searching.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        filters.addWidget(searching)  # widens with the window, its search box with it
        filters.addWidget(_group(("From", self.from_edit), ("To", self.to_edit)))
        filters.addWidget(_group(("", self.upcoming_button), ("", self.all_dates_button)))
        filters.addWidget(self.summary)

        self.table = QTableView()
        self.table.setAccessibleName("Bookings")
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.installEventFilter(self)  # Enter opens the current booking
        self.search_edit.installEventFilter(self)  # Down goes to the results
        self._kept: Kept | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(filters)
        layout.addWidget(self.range_message)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.message.hide()

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filters)
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.search_edit.returnPressed.connect(self.apply_filters)
        self.status_combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.from_edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.to_edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.table.doubleClicked.connect(self._open)
        self.upcoming_button.clicked.connect(self.show_upcoming)
        self.all_dates_button.clicked.connect(self.show_all_dates)

    def _search_min_width(self) -> int:
        """Room for ``SEARCH_MIN_CHARS`` characters plus the frame and the clear button: a line
        edit's size hint is 17 "x" wide plus those, so only the text part is changed."""
        edit = self.search_edit
        x = edit.fontMetrics().horizontalAdvance("x")
        return edit.sizeHint().width() + x * (SEARCH_MIN_CHARS - 17)

    def showEvent(self, event: QShowEvent) -> None:
        self._guard(self.ensure_model, "Could not list the bookings.")
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.model is not None
            and self.model.rowCount() > 0
        ):  # from the search straight down into what it found
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            self.table.setFocus()
            return True
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.table.currentIndex().isValid()
        ):
            self._open(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def ensure_model(self) -> BookingTableModel:
        if self.model is None:
            # Made without a parent, which it gets once it has read its first page: a model
            # whose first read failed is then dropped, not left behind at each new try.
            model = BookingTableModel(
                self._desk.repository,
                self._desk.schedule.timezone,
                None,
                query=BookingQuery(sort="start", **self._filters()),
            )
            model.setParent(self)
            self.model = model
            self.table.setModel(self.model)
            header = self.table.horizontalHeader()
            header.setSortIndicator(3, Qt.SortOrder.AscendingOrder)
            header.setSortIndicatorShown(True)
            self.table.setSortingEnabled(True)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            metrics = self.table.fontMetrics()
            stamp_width = metrics.horizontalAdvance("2026-11-30 09:00") + 24
            widths = {
                "id": metrics.horizontalAdvance("0000000") + 16,
                "start": stamp_width,
                "end": stamp_width,
                "resource": 110,
                "status": 90,
                "created": stamp_width,
            }
            for column, (key, _title) in enumerate(COLUMNS):
                if key in widths:
                    self.table.setColumnWidth(column, widths[key])
                else:  # name and address share the rest: every column fits a small screen
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
            self.model.modelAboutToBeReset.connect(self._remember_current)
            self.model.modelReset.connect(self._restore_current)
            self.model.modelReset.connect(self._update_summary)
            self.model.load_failed.connect(self._on_load_failed)
            self._update_summary()
            self.message.hide()
        return self.model

    def apply_filters(self) -> None:
        """Send the search and filters to the database; a no-op until the tab has been opened."""
        self._debounce.stop()
        self.range_message.setVisible(self._dates_backwards())
        if self.model is None:
            return
        model = self.model
        self._guard(lambda: model.set_filters(**self._filters()), "Could not update the list.")

    def show_upcoming(self) -> None:
        """Bookings from today on (the tab's first view), whatever the dates were."""
        self._set_dates(self._today(), ANY_DATE)
        self.apply_filters()

    def show_all_dates(self) -> None:
        """Every booking, past and future: the date range cleared."""
        self._set_dates(ANY_DATE, ANY_DATE)
        self.apply_filters()

    def is_upcoming(self) -> bool:
        """True while the dates are "today on": the tab's first view."""
        return self.from_edit.date() == self._today() and self.to_edit.is_any()

    def _dates_backwards(self) -> bool:
        """From after To: no booking can match, and the person is told why."""
        first, last = self.from_edit, self.to_edit
        return not first.is_any() and not last.is_any() and first.date() > last.date()

    def _from_start(self) -> QDate:
        """Where From steps to from "Any": today, or To's day if that is earlier."""
        today = self._today()
        return today if self.to_edit.is_any() else min(today, self.to_edit.date())

    def _to_start(self) -> QDate:
        """Where To steps to from "Any": today, or From's day if that is later."""
        today = self._today()
        return today if self.from_edit.is_any() else max(today, self.from_edit.date())

    def _filters(self) -> dict[str, object]:
        tz = self._desk.schedule.timezone
        start_from = self._day_start(self.from_edit, tz)
        to_day = self._day_start(self.to_edit, tz)
        return {
            "search": self.search_edit.text().strip(),
            "status": self.status_combo.currentData(),
            "start_from": start_from,
            "start_before": to_day + timedelta(days=1) if to_day else None,
        }

    def _set_dates(self, first: QDate, last: QDate) -> None:
        """Both date filters at once, so the table is asked once, not once per field."""
        for edit, value in ((self.from_edit, first), (self.to_edit, last)):
            edit.blockSignals(True)
            edit.setDate(value)
            edit.blockSignals(False)

    def _today(self) -> QDate:
        today = self._desk.today()
        return QDate(today.year, today.month, today.day)

    def refresh(self) -> None:
        """Reload after a change, keeping the rows loaded, the current booking and the scroll
        position. The filters are read from the fields, so a search that failed is retried."""
        if self.model is None:
            return
        model = self.model
        kept = self._current()
        was_on_screen = kept is not None and self._on_screen(self.table.currentIndex())
        scroll = self.table.verticalScrollBar()
        position = scroll.value()
        self._guard(
            lambda: model.set_filters(keep_loaded=True, **self._filters()),
            "Could not update the list.",
        )
        if kept is not None and not self.table.currentIndex().isValid() and model.canFetchMore():
            model.fetchMore()  # a booking added above pushed it just past the loaded rows
            self._select(kept)
        scroll.setValue(position)
        current = self.table.currentIndex()
        if was_on_screen and current.isValid():
            self.table.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    def _guard(self, action: Callable[[], object], failed: str) -> None:
        """Run a database action; a failure is shown above the table, whose rows stay as
        they were (the model reads before it resets). The next load that works clears it."""
        try:
            action()
        except TimeSyncerError as exc:
            self._show_error(f"{failed} {exc.message}")

    def _show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _on_load_failed(self, text: str) -> None:
        """A sort (or a further page) the database refused: say so, and put the header's
        indicator back on the order the rows are still in."""
        self._show_error(text)
        if self.model is None:
            return
        query = self.model.query
        column = next(i for i, (key, _title) in enumerate(COLUMNS) if key == query.sort)
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        with QSignalBlocker(header):  # the rows are already in this order: nothing to ask
            header.setSortIndicator(column, order)

    def _current(self) -> Kept | None:
        index = self.table.currentIndex()
        if self.model is None or not index.isValid():
            return None
        return self.model.booking_at(index.row()).id, index.column()

    def _select(self, kept: Kept | None) -> None:
        """Make the booking current and selected again, if it is among the loaded rows."""
        if kept is None or self.model is None or (row := self.model.row_of(kept[0])) is None:
            return
        flags = QItemSelectionModel.SelectionFlag
        index = self.model.index(row, kept[1])
        self.table.selectionModel().setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)

    def _remember_current(self) -> None:
        self._kept = self._current()

    def _restore_current(self) -> None:
        """A reload (refresh, sort, filters) resets the view; the same booking stays chosen.

        Only a load that worked resets the model, so an earlier failure's message goes too.
        """
        self._select(self._kept)
        self.message.hide()

    def _on_screen(self, index: QModelIndex) -> bool:
        rect = self.table.visualRect(index)
        return rect.isValid() and self.table.viewport().rect().intersects(rect)

    @staticmethod
    def _day_start(edit: DateFilter, tz: object) -> datetime | None:
        if edit.is_any():
            return None
        day: date = edit.date().toPython()  # type: ignore[assignment]
        return datetime.combine(day, time(0), tzinfo=tz)  # type: ignore[arg-type]

    def _open(self, index: QModelIndex) -> None:
        """Double-click or Enter: the booking at the desk, on its day."""
        if self.model is not None and index.isValid():
            self.open_booking.emit(self.model.booking_at(index.row()))

    def _update_summary(self) -> None:
        total = self.model.total if self.model is not None else 0
        term = self.model.query.term if self.model is not None else ""
        searching = bool(term or self.status_combo.currentData() is not None)
        dated = not (self.from_edit.is_any() and self.to_edit.is_any())
        if searching or (dated and not self.is_upcoming()):
            noun = "matching booking"
        elif dated:
            noun = "upcoming booking"
        else:
            noun = "booking"
        more = "+" if self.model is not None and self.model.total_is_at_least else ""
        if self._dates_backwards():
            self.summary.clear()  # "0 bookings" would blame the data; the range says why
        else:
            self.summary.setText(f"{total:,}{more} {noun}{'s' if total != 1 or more else ''}")
        self.upcoming_button.setEnabled(not self.is_upcoming())
        self.all_dates_button.setEnabled(dated)


def _group(*pairs: tuple[str, QWidget]) -> QWidget:
    """Controls kept together on one line of the filters, each after its label (if any)."""
    group = QWidget()
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for text, widget in pairs:
        if text:
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
        row.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
    return group
