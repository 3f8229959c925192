"""Correcting a booking's customer details: a mistyped name, email, phone or notes.

Checked as the booking form checks them, with the message under the field at fault. Only
what is saved changes; Close leaves the booking as it was.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from ..domain.errors import TimeSyncerError, ValidationError
from ..domain.models import Booking
from .elided_label import ElidedLabel, plain_text
from .formatting import when_label
from .theme import set_tone

_FIELDS = (("name", "Name"), ("email", "Email"), ("phone", "Phone"), ("notes", "Notes"))


class CustomerDialog(QDialog):
    """Accepts only once the details are stored; ``saved`` then holds the updated booking."""

    def __init__(self, desk: Desk, booking: Booking, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._booking = booking
        self.saved: Booking | None = None
        self.setWindowTitle("Edit customer details")
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        values = {
            "name": booking.customer_name,
            "email": booking.customer_email,
            "phone": booking.phone,
            "notes": booking.notes,
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        tz = desk.schedule.timezone
        form.addRow("Booking", ElidedLabel(when_label(booking.start, booking.end, tz)))
        for field, label in _FIELDS:
            edit = QLineEdit(values[field])
            edit.setAccessibleName(label)
            if field in ("phone", "notes"):
                edit.setPlaceholderText("Optional")
            edit.textEdited.connect(lambda _t, f=field: self._clear_error(f))
            error = plain_text(QLabel())
            set_tone(error, "error")
            error.setWordWrap(True)
            error.hide()
            self.edits[field], self.errors[field] = edit, error
            form.addRow(label, edit)
            form.addRow("", error)
        self.message = plain_text(QLabel())  # a failure that is no field's (the database)
        set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        # "Close", not "Cancel": in a booking's dialog, Cancel reads as cancelling the booking.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.edits["name"].setFocus()

    def try_save(self) -> None:
        """Store the details; on a refusal, say why under the field at fault and go there."""
        for field in self.errors:
            self._clear_error(field)
        self.message.hide()
        text = {field: edit.text() for field, edit in self.edits.items()}
        try:
            self.saved = self._desk.update_customer(
                self._booking.id, text["name"], text["email"], text["phone"], text["notes"]
            )
        except ValidationError as exc:
            field = exc.field if exc.field in self.errors else "name"
            self.errors[field].setText(exc.message)
            self.errors[field].show()
            self.edits[field].setFocus()
        except TimeSyncerError as exc:
            self.message.setText(exc.message)
            self.message.show()
        else:
            self.accept()
            return
        # Room for the message, however many lines; never narrower than the person made it.
        self.resize(self.size().expandedTo(self.sizeHint()))

    def _clear_error(self, field: str) -> None:
        self.errors[field].clear()
        self.errors[field].hide()
