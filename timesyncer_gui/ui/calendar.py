"""A month calendar shaded by availability, with its legend.

Each page change asks the database once for the counts of every visible day; painting then
reads only that cache. Past days are only dimmed: they cannot be booked, so they show no
availability. Weekends are not written in red, since red here means "full".

The calendar is on the first screen, so it stays clear of PySide6's ``Qt`` namespace (see
``painting``). Qt writes the weekend's day names in red and only a ``Qt.DayOfWeek`` undoes it,
so Qt's row of day names is hidden and ``WeekdayStrip`` draws that row instead. Qt writes the
weekend's dates in red too; they get a plain text format, but only once the calendar has
painted: ``QTextCharFormat`` costs 4 ms of start-up. For that first paint ``paintCell`` writes
them itself, as Qt writes the other dates (a test compares them pixel for pixel).

Qt leaves the month bar's arrows without a name a screen reader can say. Reaching them wraps
Qt's tool button type, which the first paint otherwise never builds, so they are named just
after that paint, as the weekend formats are.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QPointF, QRect, QSize, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)

from ..availability import DayAvailability, DayState, availability
from ..desk import Desk
from ..domain.errors import TimeSyncerError
from .painting import fill, hatch, outline

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
_MONDAY = 1  # Qt.DayOfWeek.Monday, written as the number a Qt property takes
_FIRST_YEAR, _LAST_YEAR = 2000, 2099
_WEEKEND = (6, 7)  # date.isoweekday() of Saturday and Sunday
# Controls in Qt's month bar, by their Qt object names, and what a screen reader calls them.
_ARROWS = {"qt_calendar_prevmonth": "Previous month", "qt_calendar_nextmonth": "Next month"}
_PICKERS = {
    "qt_calendar_monthbutton": "Choose the month",
    "qt_calendar_yearbutton": "Choose the year",
}


def paint_state(painter: QPainter, rect: QRect, state: DayState) -> None:
    """A day's shade: a light tint with a strip along the bottom, or hatching when closed.

    The calendar's cells and the legend's swatches both draw through here, so they match.
    """
    if state is DayState.CLOSED:
        hatch(painter, rect, QColor(128, 128, 128, 90))
        return
    colour = STATE_COLOURS[state]
    tint = QColor(colour.red(), colour.green(), colour.blue(), 45)
    fill(painter, rect, tint)
    strip = max(3, (rect.height() + 1) // 8)
    fill(painter, rect.adjusted(0, rect.height() - strip, 0, 0), colour)


def write_date(painter: QPainter, rect: QRect, text: str) -> None:
    """A day's number centred in its cell, as Qt writes an unselected day of the month
    without keyboard focus. In the view's own pen: its painter starts with the palette's text
    colour."""
    metrics = QFontMetricsF(painter.font())  # Qt places text at fractions of a pixel
    left = rect.x() + (rect.width() - metrics.horizontalAdvance(text)) / 2
    top = rect.y() + (rect.height() - round(metrics.height())) // 2
    painter.drawText(QPointF(left, top + metrics.ascent()), text)


class AvailabilityCalendar(QCalendarWidget):
    """Days tinted free, partly booked, full or closed; past days dimmed, today outlined.

    Emits ``status`` with a sentence when a month or resource the person turned to could not
    be counted, for the window to show where it reports other database errors.
    """

    day_chosen = Signal(date)
    status = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._resource_id: int | None = 1
        self._days: dict[date, DayAvailability] = {}
        self._failure = ""  # why the page shows no counts, while it shows none
        # Until its first paint is over the calendar writes weekend dates itself; that paint
        # asks for their text formats and names the month bar (see _after_first_paint).
        self._writes_weekends = True
        self._painted = False
        # Qt's own range runs from 4714 BC to AD 9999, where Python's dates cannot follow;
        # a booking desk has no use for years outside these.
        self.setDateRange(QDate(_FIRST_YEAR, 1, 1), QDate(_LAST_YEAR, 12, 31))
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.NoHorizontalHeader)
        self.setProperty("firstDayOfWeek", _MONDAY)
        self.setAccessibleName("Calendar")
        self.setMinimumSize(self.fontMetrics().horizontalAdvance("Wed") * 7 * 2, 0)
        # As tall as its width asks for (see sizeHint), the pane's width deciding both; shorter
        # cells only when the window is too short for them (a small screen at 150%).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # The grid of days is what takes the keyboard focus, so it carries the name.
        self._view = self.findChild(QTableView, "qt_calendar_calendarview")
        if self._view is not None:
            self._view.setAccessibleName("Calendar")
        self.weekdays = WeekdayStrip(self, self._view)
        today = desk.today()
        self.setSelectedDate(QDate(today.year, today.month, today.day))
        self.currentPageChanged.connect(lambda _y, _m: self._reload())
        self.selectionChanged.connect(self._on_selection)
        self.refresh()

    def selected_day(self) -> date:
        return self.selectedDate().toPython()  # type: ignore[no-any-return]

    def set_resource(self, resource_id: int | None) -> None:
        """Show ``resource_id``'s availability; the shown one is not counted again."""
        if resource_id == self._resource_id and self._days:
            return
        self._resource_id = resource_id
        self._reload()

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
        return QSize(self.minimumWidth(), self.height_for(self.minimumWidth()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()

    def _chrome_height(self) -> int:
        """The month bar and the row of day names above the cells."""
        navigation = self.findChild(QWidget, "qt_calendar_navigationbar")
        if navigation is not None:
            bar = navigation.sizeHint().height()
        else:
            bar = 2 * self.fontMetrics().height()
        return bar + self.weekdays.sizeHint().height()

    def day_info(self, day: date) -> DayAvailability | None:
        return self._days.get(day)

    def refresh(self) -> None:
        """Reload the counts for the page on show, in one query.

        If the database fails, the page is left unshaded rather than showing another page's
        counts, and the error is raised for the caller to report."""
        if not self._writes_weekends:
            self._plain_weekends()
        try:
            days = availability(self._desk, self._first_shown(), _VISIBLE_DAYS, self._resource_id)
        except TimeSyncerError as exc:
            self._days = {}
            self._failure = f"Availability could not be read: {exc.message}"
            self.updateCells()
            self._describe_selected()
            raise
        self._days = days
        self._failure = ""
        self.updateCells()
        self._describe_selected()

    def _first_shown(self) -> date:
        """The first day the page can show, counted or not."""
        return date(self.yearShown(), self.monthShown(), 1) - timedelta(days=7)

    def _reload(self) -> None:
        """Another month or resource chosen here: a database error is told, not raised, so
        the calendar goes on working and shades the next page that can be read."""
        year = self.yearShown()
        if not _FIRST_YEAR <= year <= _LAST_YEAR:  # a page set from code, past the range
            self.setCurrentPage(min(max(year, _FIRST_YEAR), _LAST_YEAR), self.monthShown())
            return  # that page change reloads
        try:
            self.refresh()
        except TimeSyncerError as exc:
            shown = date(self.yearShown(), self.monthShown(), 1)
            self.status.emit(f"Could not show the availability for {shown:%B %Y}: {exc.message}")

    def _on_selection(self) -> None:
        self._describe_selected()
        self.day_chosen.emit(self.selected_day())

    def _describe_selected(self) -> None:
        """The selected day's availability as a tooltip, and as the grid's description for a
        screen reader, which reads the grid's cells as bare numbers. (Over the grid, each
        day's own tooltip is shown instead: see ``describe``.)"""
        text = self.describe(self.selected_day())
        self.setToolTip(text)
        if self._view is not None:
            self._view.setAccessibleDescription(text)

    def describe(self, day: date) -> str:
        """A day's availability in words; why there is none when the page could not be read."""
        info = self._days.get(day)
        if self._failure:
            return self._failure
        if info is None:
            return ""
        if info.past:
            return f"{day:%A %d %B}: past, cannot be booked"
        return f"{day:%A %d %B}: {info.describe()}"

    def day_at_cell(self, row: int, column: int) -> date | None:
        """The day in the grid's ``row`` and ``column``: as Qt lays a page out, its first cell
        is the Monday before the 1st (a whole week before it when the 1st is a Monday).
        None for a cell of Qt's own row of day names, where that row is shown."""
        no_names = QCalendarWidget.HorizontalHeaderFormat.NoHorizontalHeader
        if self.horizontalHeaderFormat() != no_names:  # Qt's own row of names is row 0
            if row == 0:
                return None
            row -= 1
        first = date(self.yearShown(), self.monthShown(), 1)
        back = (first.isoweekday() - _MONDAY) % 7 or 7
        return first - timedelta(days=back - row * 7 - column)

    def _after_first_paint(self) -> None:
        self._plain_weekends()
        self._name_month_bar()
        if self._view is not None:
            from .calendar_tips import CellTips

            CellTips(self, self._view)

    def _name_month_bar(self) -> None:
        """The arrows are icons only: named, and given a tooltip, for what they do. The month
        and year buttons are named by their text already; they also say what they are for."""
        for name, label in _ARROWS.items():
            arrow = self.findChild(QWidget, name)
            if arrow is not None:
                arrow.setAccessibleName(label)
                arrow.setToolTip(label)
        for name, purpose in _PICKERS.items():
            picker = self.findChild(QWidget, name)
            if picker is not None:
                picker.setAccessibleDescription(purpose)
        year = self.findChild(QWidget, "qt_calendar_yearedit")  # shown in place of the year
        if year is not None:
            year.setAccessibleName("Year")

    def _plain_weekends(self) -> None:
        """Qt writes Saturdays and Sundays in red, which here would read "full": the visible
        weekend dates get the ordinary text colour instead, and from now on Qt writes them."""
        from PySide6.QtGui import QTextCharFormat  # after the first paint: see the module doc

        self._writes_weekends = False
        self.setDateTextFormat(QDate(), QTextCharFormat())  # forgets every date's format
        plain = QTextCharFormat()
        plain.setForeground(self.palette().brush(QPalette.ColorRole.Text))
        first = self._first_shown()
        for day in (first + timedelta(days=i) for i in range(_VISIBLE_DAYS)):
            if day.isoweekday() in _WEEKEND:
                self.setDateTextFormat(QDate(day.year, day.month, day.day), plain)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self._writes_weekends:
            self._plain_weekends()  # their text colour comes from the palette

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate | date) -> None:
        day = qdate.toPython() if isinstance(qdate, QDate) else qdate
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)  # once this paint is over
        if (
            self._writes_weekends
            and day.isoweekday() in _WEEKEND
            and day.month == self.monthShown()
            and day != self.selected_day()
        ):  # Qt would write it in red, which here means "full"
            write_date(painter, rect, self.locale().toString(day.day))
        else:
            super().paintCell(painter, rect, qdate)
        info = self._days.get(day)
        if info is None:
            return
        painter.save()
        inner = rect.adjusted(1, 1, -1, -1)
        if info.past:  # cannot be booked: no availability, and the date dimmed
            veil = self.palette().color(QPalette.ColorRole.Base)
            veil.setAlpha(150)
            fill(painter, inner, veil)
        else:
            paint_state(painter, inner, info.state)
        if day == self._desk.today():
            outline(
                painter,
                rect.adjusted(1, 1, -2, -2),
                self.palette().color(QPalette.ColorRole.Highlight),
                2,
            )
        painter.restore()


class WeekdayStrip(QWidget):
    """The row of day names over the calendar's columns, all in the ordinary text colour.

    It sits in the calendar's own layout, between the month bar and the days; a Qt that
    builds its calendar some other way keeps Qt's row of names instead.
    """

    def __init__(self, calendar: QCalendarWidget, view: QTableView | None) -> None:
        super().__init__(calendar)
        self._calendar = calendar
        self._view = view
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setForegroundRole(QPalette.ColorRole.Text)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Days of the week")
        self.setAccessibleDescription(", ".join(self.names()))
        layout = calendar.layout()
        if isinstance(layout, QBoxLayout) and self._view is not None:
            layout.insertWidget(layout.indexOf(self._view), self)
        else:
            self._view = None
            calendar.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
            self.hide()

    def names(self) -> list[str]:
        """The names as shown, Monday first."""
        locale = self._calendar.locale()
        return [locale.dayName(day, QLocale.FormatType.ShortFormat) for day in range(1, 8)]

    def sizeHint(self) -> QSize:
        return QSize(0, self.fontMetrics().height() + 8)

    def paintEvent(self, _event: QPaintEvent) -> None:
        view = self._view
        if view is None:
            return
        painter = QPainter(self)  # its pen is the palette's text colour: no setPen needed
        metrics = self.fontMetrics()
        baseline = (self.height() - metrics.height()) // 2 + metrics.ascent()
        # The columns begin inside the view's frame, as it shows no row header. Not asked of
        # view.viewport(): wrapping that plain QWidget makes PySide6 try every widget type it
        # knows, creating each one's enums, about 25 ms the first time.
        origin = view.x() + view.contentsRect().left() - self.x()
        for column, name in enumerate(self.names()):
            left = origin + view.columnViewportPosition(column)
            centred = left + (view.columnWidth(column) - metrics.horizontalAdvance(name)) // 2
            painter.drawText(centred, baseline, name)
        painter.end()


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
        fill(painter, box, self.palette().color(QPalette.ColorRole.Base))
        paint_state(painter, box.adjusted(1, 1, 0, 0), self.state)
        outline(painter, box, self.palette().color(QPalette.ColorRole.Mid))
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
