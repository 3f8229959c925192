"""The booking form: who, when, and a Book button that says plainly what happened."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from ..domain.errors import SlotUnavailable, TimeSyncerError, ValidationError
from ..domain.models import Booking
from .formatting import slot_label, when_label

log = logging.getLogger(__name__)


class BookingPage(QWidget):
    """Name, email, date and time; books through the desk and reports inline."""

    booked = Signal(int)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        tz = desk.schedule.timezone

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText("Customer's full name")
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("name@example.com")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        today = desk.today()
        self.date_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.time_combo = QComboBox()
        self.time_combo.setMinimumContentsLength(16)
        self.book_button = QPushButton("Book")
        self.book_button.setDefault(True)
        self.book_button.setAutoDefault(True)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        for label, field in (
            ("Name", self.name_edit),
            ("Email", self.email_edit),
            ("Date", self.date_edit),
            ("Time", self.time_combo),
        ):
            field.setAccessibleName(label)
            form.addRow(label, field)
        self.book_button.setAccessibleName("Book")
        zone = QLabel(f"Times are in {tz}.")
        zone.setObjectName("hint")
        form.addRow("", zone)

        column = QWidget()
        column.setMaximumWidth(560)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        inner.addWidget(self.book_button, alignment=Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.message)
        inner.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(column, 1)
        layout.addStretch(0)

        self._fields: dict[str, QWidget] = {
            "name": self.name_edit,
            "email": self.email_edit,
            "start": self.time_combo,
        }
        self.date_edit.dateChanged.connect(self.refresh_slots)
        self.book_button.clicked.connect(self.submit)
        self.name_edit.returnPressed.connect(self.submit)
        self.email_edit.returnPressed.connect(self.submit)
        self.refresh_slots()

    def selected_date(self) -> date:
        return self.date_edit.date().toPython()  # type: ignore[no-any-return]

    def refresh_slots(self) -> None:
        """Fill the time list with the day's slots; taken and past ones cannot be chosen."""
        keep = self.time_combo.currentData()
        tz = self._desk.schedule.timezone
        now = self._desk.clock.now()
        try:
            day = self._desk.day(self.selected_date())
        except TimeSyncerError as exc:
            self.show_message(exc.message, error=True)
            return
        self.time_combo.clear()
        model = self.time_combo.model()
        first_free = -1
        for entry in day:
            label = slot_label(entry.slot.start, entry.slot.end, tz)
            if entry.booking is not None:
                label += "  · booked"
            elif entry.slot.start < now:
                label += "  · past"
            self.time_combo.addItem(label, entry.slot.start)
            usable = entry.is_free and entry.slot.start >= now
            if isinstance(model, QStandardItemModel):
                model.item(self.time_combo.count() - 1).setEnabled(usable)
            if usable and first_free < 0:
                first_free = self.time_combo.count() - 1
        if not day:
            self.time_combo.addItem("Closed on this day", None)
            self.time_combo.setEnabled(False)
            return
        self.time_combo.setEnabled(True)
        index = self.time_combo.findData(keep) if keep is not None else -1
        if index < 0 or not self._usable(index):
            index = first_free
        self.time_combo.setCurrentIndex(index)

    def submit(self) -> None:
        """Book what the form holds; on failure say why next to the field at fault."""
        start = self.time_combo.currentData()
        if start is None:
            self.show_message("Pick a free time on an open day first.", error=True)
            self.time_combo.setFocus()
            return
        try:
            booking = self._desk.book(
                name=self.name_edit.text(), email=self.email_edit.text(), start=start
            )
        except ValidationError as exc:
            self.show_message(exc.message, error=True)
            self._fields.get(exc.field, self.name_edit).setFocus()
            return
        except SlotUnavailable as exc:
            self.show_message(exc.message, error=True)
            self.refresh_slots()
            self.time_combo.setFocus()
            return
        except TimeSyncerError as exc:
            log.warning("booking failed: %s", exc.message)
            self.show_message(exc.message, error=True)
            return
        self._confirm(booking)

    def show_message(self, text: str, *, error: bool) -> None:
        self.message.setProperty("kind", "error" if error else "ok")
        self.message.setText(text)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _confirm(self, booking: Booking) -> None:
        tz = self._desk.schedule.timezone
        self.show_message(
            f"Booked {booking.customer_name} for {when_label(booking.start, booking.end, tz)}.",
            error=False,
        )
        self.name_edit.clear()
        self.email_edit.clear()
        self.refresh_slots()
        self.name_edit.setFocus()
        self.booked.emit(booking.id)

    def _usable(self, index: int) -> bool:
        model = self.time_combo.model()
        if isinstance(model, QStandardItemModel):
            return model.item(index).isEnabled()
        return True
