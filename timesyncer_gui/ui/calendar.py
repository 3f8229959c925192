"""A month calendar shaded by availability, with its legend.

Each page change asks the database once for the counts of every visible day; painting then
reads only that cache.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLabel, QSizePolicy, QWidget

from ..availability import DayAvailability, DayState, availability
from ..desk import Desk

STATE_COLOURS: dict[DayState, QColor] = {
    DayState.FREE: QColor(46, 160, 67),
    DayState.PARTLY: QColor(219, 154, 4),
    DayState.FULL: QColor(207, 34, 46),
    DayState.CLOSED: QColor(128, 128, 128),
}
_VISIBLE_DAYS = 49  # a page shows six weeks, starting up to a week before the 1st


class AvailabilityCalendar(QCalendarWidget):
    """Days tinted free, partly booked, full or closed; past days dimmed, today outlined."""

    day_chosen = Signal(date)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._resource_id: int | None = 1
        self._days: dict[date, DayAvailability] = {}
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.setAccessibleName("Calendar")
        self.setMinimumSize(self.fontMetrics().horizontalAdvance("Wed") * 7 * 2, 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        today = desk.today()
        self.setSelectedDate(QDate(today.year, today.month, today.day))
        self.currentPageChanged.connect(lambda _y, _m: self.refresh())
        self.selectionChanged.connect(lambda: self.day_chosen.emit(self.selected_day()))
        self.refresh()

    def selected_day(self) -> date:
        return self.selectedDate().toPython()  # type: ignore[no-any-return]

    def set_resource(self, resource_id: int | None) -> None:
        self._resource_id = resource_id
        self.refresh()

    def day_info(self, day: date) -> DayAvailability | None:
        return self._days.get(day)

    def refresh(self) -> None:
        """Reload the counts for the page on show, in one query."""
        first = date(self.yearShown(), self.monthShown(), 1) - timedelta(days=7)
        self._days = availability(self._desk, first, _VISIBLE_DAYS, self._resource_id)
        self.updateCells()
        info = self._days.get(self.selected_day())
        if info is not None:
            self.setToolTip(f"{self.selected_day():%A %d %B}: {info.describe()}")

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate | date) -> None:
        super().paintCell(painter, rect, qdate)
        day = qdate.toPython() if isinstance(qdate, QDate) else qdate
        info = self._days.get(day)
        if info is None:
            return
        painter.save()
        colour = QColor(STATE_COLOURS[info.state])
        inner = rect.adjusted(1, 1, -1, -1)
        if info.state is DayState.CLOSED:
            painter.fillRect(inner, QBrush(QColor(128, 128, 128, 90), Qt.BrushStyle.BDiagPattern))
        else:
            colour.setAlpha(45)
            painter.fillRect(inner, colour)
            colour.setAlpha(255)
            strip = max(3, rect.height() // 8)
            painter.fillRect(
                QRect(inner.left(), inner.bottom() - strip + 1, inner.width(), strip), colour
            )
        if info.past:
            veil = QColor(self.palette().color(QPalette.ColorRole.Base))
            veil.setAlpha(150)
            painter.fillRect(inner, veil)
        if day == self._desk.today():
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class CalendarLegend(QWidget):
    """What the calendar's colours mean."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        for state in (DayState.FREE, DayState.PARTLY, DayState.FULL, DayState.CLOSED):
            swatch = QLabel()
            swatch.setFixedSize(12, 12)
            colour = STATE_COLOURS[state]
            swatch.setStyleSheet(
                f"background: rgb({colour.red()}, {colour.green()}, {colour.blue()});"
                " border-radius: 2px;"
            )
            swatch.setAccessibleName(state.value.capitalize())
            label = QLabel(state.value.capitalize())
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(swatch)
            row.addWidget(label)
            layout.addLayout(row)
        layout.addStretch(1)
