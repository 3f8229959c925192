"""Each day's own availability as the tooltip of its cell in the calendar.

A QCalendarWidget has one tooltip for all its days; over the grid of days, this shows the day
under the pointer instead. Installed once the calendar has painted: the first screen does not
need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QTableView, QToolTip

if TYPE_CHECKING:
    from .calendar import AvailabilityCalendar


class CellTips(QObject):
    """Watches the calendar's grid for tooltip requests."""

    def __init__(self, calendar: AvailabilityCalendar, view: QTableView) -> None:
        super().__init__(view)
        self._calendar = calendar
        self._view = view
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        index = self._view.indexAt(event.pos())
        if not index.isValid():
            return False
        day = self._calendar.day_at_cell(index.row(), index.column())
        text = self._calendar.describe(day) if day is not None else ""
        if text:
            # With the cell's rectangle, the tip closes as the pointer leaves that day.
            viewport = self._view.viewport()
            QToolTip.showText(event.globalPos(), text, viewport, self._view.visualRect(index))
        else:
            QToolTip.hideText()
        return True
