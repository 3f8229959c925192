"""A month calendar shaded by availability, with its legend.

Each page change asks the database once for the counts of every visible day; painting then
reads only that cache. Past days are only dimmed: they cannot be booked, so they show no
availability. Weekends are not written in red, since red here means "full".
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCharFormat,
)
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)

from ..availability import DayAvailability, DayState, availability
from ..desk import Desk

STATE_COLOURS: dict[DayState, QColor] = {
    DayState.FREE: QColor(46, 160, 67),
    DayState.PARTLY: QColor(219, 154, 4),
    DayState.FULL: QColor(207, 34, 46),
    DayState.CLOSED: QColor(128, 128, 128),
}
_VISIBLE_DAYS = 49  # a page shows six weeks, starting up to a week before the 1st
_WEEKS = 6
# A day's cell is this much as tall as it is wide, within the bounds below (in lines of text):
# big enough to hit and to read its shade, not so tall that a narrow pane turns it into a bar.
_CELL_ASPECT = 0.85
_ROOMY = 1.2  # the width first offered, against the least that fits "Wed" twice over
_MIN_CELL_LINES, _MAX_CELL_LINES = 1.6, 4.0


def paint_state(painter: QPainter, rect: QRect, state: DayState) -> None:
    """A day's shade: a light tint with a strip along the bottom, or hatching when closed.

    The calendar's cells and the legend's swatches both draw through here, so they match.
    """
    if state is DayState.CLOSED:
        painter.fillRect(rect, QBrush(QColor(128, 128, 128, 90), Qt.BrushStyle.BDiagPattern))
        return
    colour = QColor(STATE_COLOURS[state])
    colour.setAlpha(45)
    painter.fillRect(rect, colour)
    colour.setAlpha(255)
    strip = max(3, (rect.height() + 1) // 8)
    painter.fillRect(QRect(rect.left(), rect.bottom() - strip + 1, rect.width(), strip), colour)


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
        # As tall as its width asks for (see sizeHint); the pane's width decides both.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._keep_day_names_short()
        plain = QTextCharFormat()  # Qt writes weekends in red, which here would read "full"
        for weekend in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(weekend, plain)
        today = desk.today()
        self.setSelectedDate(QDate(today.year, today.month, today.day))
        self.currentPageChanged.connect(lambda _y, _m: self.refresh())
        self.selectionChanged.connect(lambda: self.day_chosen.emit(self.selected_day()))
        self.refresh()

    def selected_day(self) -> date:
        return self.selectedDate().toPython()  # type: ignore[no-any-return]

    def set_resource(self, resource_id: int | None) -> None:
        """Show ``resource_id``'s availability; the shown one is not counted again."""
        if resource_id == self._resource_id and self._days:
            return
        self._resource_id = resource_id
        self.refresh()

    def height_for(self, width: int) -> int:
        """Tall enough for near-square day cells at ``width``, so a wide pane is used."""
        line = self.fontMetrics().height()
        cell = min(max(width / 7 * _CELL_ASPECT, line * _MIN_CELL_LINES), line * _MAX_CELL_LINES)
        return self._chrome_height() + round(cell * _WEEKS)

    def sizeHint(self) -> QSize:
        # The layout asks again after each resize (below), so the height follows the width.
        width = self.width() if self.isVisible() else round(self.minimumWidth() * _ROOMY)
        return QSize(width, self.height_for(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), self.height_for(self.width()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def _keep_day_names_short(self) -> None:
        """Qt shares the height out evenly among the day-name row and the weeks; the names
        need one line, so the weeks get the rest."""
        view = self.findChild(QTableView, "qt_calendar_calendarview")
        if view is None:  # a Qt that builds its calendar differently: keep its layout
            return
        rows = view.verticalHeader()
        rows.setMinimumSectionSize(1)
        rows.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        rows.resizeSection(0, self.fontMetrics().height() + 8)

    def _chrome_height(self) -> int:
        """The month bar and the row of day names above the cells."""
        line = self.fontMetrics().height()
        navigation = self.findChild(QWidget, "qt_calendar_navigationbar")
        bar = navigation.sizeHint().height() if navigation is not None else 2 * line
        return bar + line + 8

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
        inner = rect.adjusted(1, 1, -1, -1)
        if info.past:  # cannot be booked: no availability, and the date dimmed
            veil = QColor(self.palette().color(QPalette.ColorRole.Base))
            veil.setAlpha(150)
            painter.fillRect(inner, veil)
        else:
            paint_state(painter, inner, info.state)
        if day == self._desk.today():
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class StateSwatch(QWidget):
    """A small sample of a day's shade, drawn exactly as the calendar draws that day."""

    def __init__(self, state: DayState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setAccessibleName(state.value.capitalize())
        side = self.fontMetrics().height()
        self.setFixedSize(round(side * 1.4), side)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        box = self.rect().adjusted(0, 0, -1, -1)
        painter.fillRect(box, self.palette().color(QPalette.ColorRole.Base))
        paint_state(painter, box.adjusted(1, 1, 0, 0), self.state)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(box)
        painter.end()


class CalendarLegend(QWidget):
    """What the calendar's shades mean, each sample drawn as the calendar draws the day."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.swatches: list[StateSwatch] = []
        for state in (DayState.FREE, DayState.PARTLY, DayState.FULL, DayState.CLOSED):
            swatch = StateSwatch(state)
            self.swatches.append(swatch)
            label = QLabel(state.value.capitalize())
            row = QHBoxLayout()
            row.setSpacing(4)
            row.addWidget(swatch)
            row.addWidget(label)
            layout.addLayout(row)
        layout.addStretch(1)
