"""The selected day's slots, each free or showing who booked it; keyboard-navigable."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ..desk import DaySlot, Desk
from .formatting import slot_label
from .row_model import Index, RowTableModel
from .theme import tone_brush

SLOT_ROLE = Qt.ItemDataRole.UserRole + 1
# Roles as plain ints, the type ``data`` is called with, for cheap dictionary look-ups.
_SLOT = int(SLOT_ROLE)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)


def _bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class DayModel(RowTableModel):
    """One row per slot of the day: its time, and the customer or "Free".

    Each cell's values are worked out once per load: a view asks ``data`` for a dozen roles of
    every cell at each paint, and answering from a table keeps that cheap.
    """

    titles = ("Time", "Customer")

    def __init__(self, desk: Desk, parent: Any = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._now: datetime = desk.clock.now()
        self._cells: list[tuple[dict[int, Any], dict[int, Any]]] = []
        self.day: date | None = None
        self.resource_id = 1

    def load(self, day: date, resource_id: int) -> None:
        self.beginResetModel()
        self.day, self.resource_id = day, resource_id
        self._now = self._desk.clock.now()
        self._rows = self._desk.day(day, resource_id)
        self._cells = [self._cells_of(entry) for entry in self._rows]
        self.endResetModel()

    def _cells_of(self, entry: DaySlot) -> tuple[dict[int, Any], dict[int, Any]]:
        """The time cell's and the customer cell's value for each role that has one."""
        time_text = slot_label(entry.slot.start, entry.slot.end, self._desk.schedule.timezone)
        time_cell: dict[int, Any] = {_DISPLAY: time_text, _ACCESSIBLE: time_text}
        booking = entry.booking
        if booking is not None:
            customer: dict[int, Any] = {
                _DISPLAY: booking.customer_name,
                _ACCESSIBLE: booking.customer_name,
                _FONT: _bold_font(),
            }
            tip = f"{booking.customer_name} <{booking.customer_email}>"
            time_cell[_TOOLTIP] = customer[_TOOLTIP] = tip
        elif entry.slot.start < self._now:  # gone: it cannot be booked, so it looks it
            greyed = QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            customer = {_DISPLAY: "Past", _ACCESSIBLE: "Past", _FOREGROUND: greyed}
        else:  # free to take, in the calendar's "free" green
            customer = {_DISPLAY: "Free", _ACCESSIBLE: "Free", _FOREGROUND: tone_brush("ok")}
        return time_cell, customer

    def slot_at(self, row: int) -> DaySlot:
        return self._rows[row]

    def row_of(self, start: datetime) -> int:
        return next((i for i, s in enumerate(self._rows) if s.slot.start == start), -1)

    def is_past(self, row: int) -> bool:
        return self._rows[row].slot.start < self._now

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == _SLOT:
            return self._rows[index.row()]
        return self._cells[index.row()][index.column()].get(role)


class DayView(QTableView):
    """Emits ``slot_selected`` as the person moves through the day by mouse or keyboard."""

    slot_selected = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day_model = DayModel(desk, self)
        self.setModel(self.day_model)
        self.setAccessibleName("Slots")
        self.setTabKeyNavigation(False)  # Tab leaves the list for the form
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.selectionModel().currentRowChanged.connect(self._on_current)

    def load(self, day: date, resource_id: int, keep: datetime | None = None) -> None:
        """Show ``day``; re-select the slot starting at ``keep`` if there is one."""
        self.day_model.load(day, resource_id)
        row = self.day_model.row_of(keep) if keep is not None else -1
        if row >= 0:
            self.selectRow(row)
        else:
            self.slot_selected.emit(None)

    def current_slot(self) -> DaySlot | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return None
        return self.day_model.slot_at(index.row())

    def select_start(self, start: datetime) -> bool:
        row = self.day_model.row_of(start)
        if row >= 0:
            self.selectRow(row)
        return row >= 0

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.slot_selected.emit(
            self.day_model.slot_at(current.row()) if current.isValid() else None
        )
