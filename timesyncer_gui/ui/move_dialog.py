"""Moving a booking: pick a day and one of its free slots; the desk re-checks everything."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from ..domain.errors import TimeSyncerError
from ..domain.models import Booking
from .formatting import slot_label, when_label
from .theme import set_tone


class MoveDialog(QDialog):
    """Accepts only once the move is stored; ``moved`` then holds the updated booking."""

    def __init__(self, desk: Desk, booking: Booking, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._booking = booking
        self.moved: Booking | None = None
        tz = desk.schedule.timezone
        self.setWindowTitle("Move booking")
        local = booking.start.astimezone(tz).date()
        self.date_edit = QDateEdit(QDate(local.year, local.month, local.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        today = desk.today()
        self.date_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.slot_combo = QComboBox()
        self.message = QLabel()
        set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Move")
        form = QFormLayout()
        form.addRow(
            "Booking",
            QLabel(f"{booking.customer_name}, {when_label(booking.start, booking.end, tz)}"),
        )
        for label, widget in (("New date", self.date_edit), ("New time", self.slot_combo)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.date_edit.dateChanged.connect(self.load_slots)
        self.buttons.accepted.connect(self.try_move)
        self.buttons.rejected.connect(self.reject)
        self.load_slots()

    def load_slots(self) -> None:
        """Offer the free, future slots of the chosen day."""
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        now = self._desk.clock.now()
        tz = self._desk.schedule.timezone
        self.slot_combo.clear()
        for entry in self._desk.day(day, self._booking.resource_id):
            if entry.is_free and entry.slot.start >= now:
                self.slot_combo.addItem(
                    slot_label(entry.slot.start, entry.slot.end, tz), entry.slot.start
                )
        empty = self.slot_combo.count() == 0
        if empty:
            self.slot_combo.addItem("No free slot on this day", None)
        self.slot_combo.setEnabled(not empty)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not empty)

    def try_move(self) -> None:
        start = self.slot_combo.currentData()
        if start is None:
            return
        try:
            self.moved = self._desk.move(self._booking.id, start)
        except TimeSyncerError as exc:
            self.message.setText(exc.message)
            self.load_slots()
            return
        self.accept()
