"""The selected day's slots, each free or showing who booked it; keyboard-navigable."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QFont, QPalette, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ..desk import DaySlot, Desk
from .formatting import plain_tip, slot_label
from .theme import tone_brush

OFF_GRID = "Not one of the day's slots: booked under other opening hours or slot length."


def _bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _cell(text: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setAccessibleText(text)
    return item


class DayModel(QStandardItemModel):
    """One row per slot of the day: its time, and the customer or "Free".

    The cells live in Qt's own item model, worked out once per load: a view asks for a dozen
    roles of every cell at each paint, and Qt answers those without calling back into Python.
    """

    titles = ("Time", "Customer")

    def __init__(self, desk: Desk, parent: Any = None) -> None:
        super().__init__(0, len(self.titles), parent)
        self.setHorizontalHeaderLabels(list(self.titles))
        self._desk = desk
        self._now: datetime = desk.clock.now()
        self._rows: list[DaySlot] = []
        self.day: date | None = None
        self.resource_id = 1

    def load(self, day: date, resource_id: int) -> None:
        self.day, self.resource_id = day, resource_id
        self._now = self._desk.clock.now()
        self._rows = self._desk.day(day, resource_id)
        self.setRowCount(0)
        for entry in self._rows:
            self.appendRow(self._cells_of(entry))

    def _cells_of(self, entry: DaySlot) -> list[QStandardItem]:
        """The time cell and the customer cell of one slot."""
        tz = self._desk.schedule.timezone
        booking = entry.booking
        if booking is not None:
            # A booking's own times: one made under other hours or another slot length need
            # not match the slot it takes (the tooltip says why).
            time_cell = _cell(slot_label(booking.start, booking.end, tz))
            customer = _cell(booking.customer_name)
            customer.setFont(_bold_font())
            who = f"{booking.customer_name} <{booking.customer_email}>"
            unlike = (booking.start, booking.end) != (entry.slot.start, entry.slot.end)
            tip = plain_tip(f"{who}\n{OFF_GRID}" if entry.off_grid or unlike else who)
            time_cell.setToolTip(tip)
            customer.setToolTip(tip)
            return [time_cell, customer]
        time_cell = _cell(slot_label(entry.slot.start, entry.slot.end, tz))
        if entry.slot.start < self._now:  # gone: it cannot be booked, so it looks it
            customer = _cell("Past")
            customer.setForeground(
                QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            )
        else:  # free to take, in the calendar's "free" green
            customer = _cell("Free")
            customer.setForeground(tone_brush("ok"))
        return [time_cell, customer]

    def is_closed(self) -> bool:
        """No slot on the day: any rows are bookings made under other opening hours."""
        return all(entry.off_grid for entry in self._rows)

    def slot_at(self, row: int) -> DaySlot:
        return self._rows[row]

    def row_of(self, start: datetime) -> int:
        return next((i for i, s in enumerate(self._rows) if s.slot.start == start), -1)

    def is_past(self, row: int) -> bool:
        return self._rows[row].slot.start < self._now

    def first_to_come(self) -> int:
        """The row of the day's first slot that has not begun; -1 when all have."""
        return next((i for i, s in enumerate(self._rows) if s.slot.start >= self._now), -1)


class DayView(QTableView):
    """Emits ``slot_selected`` as the person moves through the day by mouse or keyboard."""

    slot_selected = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._to_upcoming = False  # a day was shown and not yet scrolled to its next slot
        self.day_model = DayModel(desk, self)
        self.setModel(self.day_model)
        self.setAccessibleName("Slots")
        self.setTabKeyNavigation(False)  # Tab leaves the list for the form
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def load(self, day: date, resource_id: int, keep: datetime | None = None) -> None:
        """Show ``day``; re-select the slot starting at ``keep`` if there is one.

        A day newly shown opens at its first slot still to come: late in the afternoon the
        free slots, not the morning's past ones, are in view. The same day loaded again (a
        refresh) stays where the person scrolled it."""
        another_day = (day, resource_id) != (self.day_model.day, self.day_model.resource_id)
        self._loading = True  # the old rows going is not the person choosing no slot
        try:
            self.day_model.load(day, resource_id)
        finally:
            self._loading = False
        # The time column fits its times again: the header sizes it to its contents only when
        # its columns change, so a first day with no rows (a closed day) left it a few pixels
        # wide, and every later day's times read "09…".
        self.horizontalHeader().resizeSections()
        row = self.day_model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.selectRow(row)
        else:
            self.slot_selected.emit(None)
        if another_day and row < 0:
            self._to_upcoming = True
            self._scroll_to_upcoming()

    def _scroll_to_upcoming(self) -> None:
        """Scroll a newly shown day to its first slot still to come (a day with none, to its
        start), once the list is on screen with its size: at start-up the day is loaded
        before the window is shown."""
        if not self._to_upcoming or not self.isVisible():
            return
        self._to_upcoming = False
        # The scroll range first follows the new rows: coming from a shorter day (a closed
        # Sunday), it would still hold that day's and stop the scroll at the top.
        self.executeDelayedItemsLayout()
        upcoming = self.day_model.first_to_come()
        if upcoming > 0:
            self.scrollTo(
                self.day_model.index(upcoming, 0), QAbstractItemView.ScrollHint.PositionAtTop
            )
        else:  # a day ahead, or one gone by: from its start, wherever the last day was left
            self.scrollToTop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._scroll_to_upcoming()

    def current_slot(self) -> DaySlot | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return None
        return self.day_model.slot_at(index.row())

    def choose_nothing(self) -> None:
        """No row current or selected, without announcing it: the next row chosen, even the
        one that was current before, is then a change that is announced."""
        self._loading = True
        try:
            self.setCurrentIndex(QModelIndex())
            self.clearSelection()
        finally:
            self._loading = False

    def select_start(self, start: datetime) -> bool:
        row = self.day_model.row_of(start)
        if row >= 0:
            self.selectRow(row)
        return row >= 0

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:
        """A move to another row chooses that slot; moving along a row chooses nothing new.

        Overridden rather than connected to the selection model's signal, so that type is
        not made for the first paint."""
        super().currentChanged(current, previous)
        if self._loading or current.row() == previous.row():
            return
        self.slot_selected.emit(
            self.day_model.slot_at(current.row()) if current.isValid() else None
        )
