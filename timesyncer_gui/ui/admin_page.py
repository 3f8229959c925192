"""The Admin tab: every booking in a table, searchable, filterable, sortable by any column.

It opens on what a front desk asks about most: the bookings from today on, soonest first.
**All dates** shows the whole history; **Upcoming** comes back to today.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from ..domain.errors import TimeSyncerError
from ..domain.models import BookingStatus
from ..storage import BookingQuery
from .bookings_model import COLUMNS, BookingTableModel
from .theme import make_quiet, set_tone

SEARCH_DELAY_MS = 250
_ANY_DATE = QDate(2000, 1, 1)


def _date_filter(label: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setMinimumDate(_ANY_DATE)
    edit.setSpecialValueText("Any")
    edit.setDate(_ANY_DATE)
    edit.setAccessibleName(label)
    return edit


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
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.status_combo.addItem("All", None)
        self.status_combo.addItem("Booked", BookingStatus.BOOKED)
        self.status_combo.addItem("Cancelled", BookingStatus.CANCELLED)
        self.from_edit = _date_filter("From")
        self.to_edit = _date_filter("To")
        self.upcoming_button = QPushButton("Upcoming")
        self.upcoming_button.setAccessibleName("Upcoming")
        self.upcoming_button.setToolTip("Bookings from today on")
        self.all_dates_button = QPushButton("All dates")
        self.all_dates_button.setAccessibleName("All dates")
        self.all_dates_button.setToolTip("Every booking, past ones too")
        self._set_dates(self._today(), _ANY_DATE)
        self.summary = QLabel()
        make_quiet(self.summary)
        self.message = QLabel()
        set_tone(self.message, "error")

        filters = QHBoxLayout()
        for text, widget in (
            ("Search", self.search_edit),
            ("Status", self.status_combo),
            ("From", self.from_edit),
            ("To", self.to_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 2 if widget is self.search_edit else 0)
        filters.addWidget(self.upcoming_button)
        filters.addWidget(self.all_dates_button)
        filters.addStretch(1)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(filters)
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
        self.table.doubleClicked.connect(self._on_double_click)
        self.upcoming_button.clicked.connect(self.show_upcoming)
        self.all_dates_button.clicked.connect(self.show_all_dates)

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_model()
        super().showEvent(event)

    def ensure_model(self) -> BookingTableModel:
        if self.model is None:
            self.model = BookingTableModel(
                self._desk.repository,
                self._desk.schedule.timezone,
                self,
                query=BookingQuery(sort="start", **self._filters()),
            )
            self.table.setModel(self.model)
            header = self.table.horizontalHeader()
            header.setSortIndicator(3, Qt.SortOrder.AscendingOrder)
            header.setSortIndicatorShown(True)
            self.table.setSortingEnabled(True)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)
            metrics = self.table.fontMetrics()
            stamp_width = metrics.horizontalAdvance("2026-11-30 09:00") + 24
            widths = {
                "id": metrics.horizontalAdvance("0000000") + 16,
                "customer": 180,
                "email": 220,
                "start": stamp_width,
                "end": stamp_width,
                "resource": 110,
                "status": 90,
            }
            for column, (key, _title) in enumerate(COLUMNS):
                if key in widths:
                    self.table.setColumnWidth(column, widths[key])
            self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
            self.model.modelReset.connect(self._update_summary)
            self._update_summary()
        return self.model

    def apply_filters(self) -> None:
        """Send the search and filters to the database; a no-op until the tab has been opened."""
        self._debounce.stop()
        if self.model is None:
            return
        model = self.model
        self._guard(lambda: model.set_filters(**self._filters()))

    def show_upcoming(self) -> None:
        """Bookings from today on (the tab's first view), whatever the dates were."""
        self._set_dates(self._today(), _ANY_DATE)
        self.apply_filters()

    def show_all_dates(self) -> None:
        """Every booking, past and future: the date range cleared."""
        self._set_dates(_ANY_DATE, _ANY_DATE)
        self.apply_filters()

    def is_upcoming(self) -> bool:
        """True while the dates are "today on": the tab's first view."""
        return self.from_edit.date() == self._today() and self.to_edit.date() == _ANY_DATE

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
        """Reload after a change, keeping the rows loaded and the scroll position."""
        if self.model is None:
            return
        model = self.model
        scroll = self.table.verticalScrollBar()
        position = scroll.value()
        self._guard(lambda: model.refresh(keep_loaded=True))
        scroll.setValue(position)

    def _guard(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except TimeSyncerError as exc:
            self.message.setText(exc.message)
            self.message.show()
            return
        self.message.hide()

    @staticmethod
    def _day_start(edit: QDateEdit, tz: object) -> datetime | None:
        if edit.date() == _ANY_DATE:
            return None
        day: date = edit.date().toPython()  # type: ignore[assignment]
        return datetime.combine(day, time(0), tzinfo=tz)  # type: ignore[arg-type]

    def _on_double_click(self, index: QModelIndex) -> None:
        if self.model is not None and index.isValid():
            self.open_booking.emit(self.model.booking_at(index.row()))

    def _update_summary(self) -> None:
        total = self.model.total if self.model is not None else 0
        term = self.model.query.term if self.model is not None else ""
        searching = bool(term or self.status_combo.currentData() is not None)
        dated = self.from_edit.date() != _ANY_DATE or self.to_edit.date() != _ANY_DATE
        if searching or (dated and not self.is_upcoming()):
            noun = "matching booking"
        elif dated:
            noun = "upcoming booking"
        else:
            noun = "booking"
        more = "+" if self.model is not None and self.model.total_is_at_least else ""
        self.summary.setText(f"{total:,}{more} {noun}{'s' if total != 1 or more else ''}")
        self.upcoming_button.setEnabled(not self.is_upcoming())
        self.all_dates_button.setEnabled(dated)
