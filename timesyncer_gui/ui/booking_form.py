"""The new-booking form: who the customer is, for the slot chosen in the day view.

A refusal is shown under the field at fault and focus goes there; a success is confirmed
inline, the form clears and focus returns to the name for the next customer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
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
from .formatting import slot_label, when_label
from .theme import Tone, make_primary, make_title, set_tone

log = logging.getLogger(__name__)


def _message_label(tone: Tone) -> QLabel:
    label = QLabel()
    set_tone(label, tone)
    label.setWordWrap(True)
    label.hide()
    return label


def _say(label: QLabel, text: str) -> None:
    """Show ``text`` in a message label, selectable so it can be copied into a note, and as
    written: it may hold a customer's name, which is never markup."""
    from PySide6.QtCore import Qt  # after the first paint: see painting.py

    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    label.setVisible(bool(text))


class BookingForm(QWidget):
    """Emits ``booked`` with the new booking, or ``slot_taken`` when another desk was faster."""

    booked = Signal(object)
    slot_taken = Signal()

    def __init__(
        self,
        desk: Desk,
        resource_name: Callable[[int], str | None] = lambda _id: None,
        parent: QWidget | None = None,
    ) -> None:
        """``resource_name`` names the resource booked while there are several to tell apart
        (None with just one)."""
        super().__init__(parent)
        self._desk = desk
        self._resource_name = resource_name
        self._start: datetime | None = None
        self._why_no_slot = ""  # what Book says while no slot is chosen (see set_slot)
        self._resource_id = 1

        self.when = QLabel("Choose a free slot")
        # Wraps rather than widening the window: on a small laptop at 150% a day and time
        # is wider than the pane.
        self.when.setWordWrap(True)
        # Which resource, while there are several: a row of its own, made when first needed.
        self.where: QLabel | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Customer's full name")
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("name@example.com")
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("Optional")
        self.notes_edit = QLineEdit()
        self.notes_edit.setPlaceholderText("Optional")
        self.book_button = QPushButton("Book")
        make_primary(self.book_button)
        self.message = _message_label("ok")

        self._edits = {
            "name": self.name_edit,
            "email": self.email_edit,
            "phone": self.phone_edit,
            "notes": self.notes_edit,
        }
        self._errors = {field: _message_label("error") for field in self._edits}
        self._errors["start"] = _message_label("error")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("When", self.when)
        self._form = form
        form.addRow("", self._errors["start"])
        for label, field in (
            ("Name", "name"),
            ("Email", "email"),
            ("Phone", "phone"),
            ("Notes", "notes"),
        ):
            edit = self._edits[field]
            edit.setAccessibleName(label)
            form.addRow(label, edit)
            form.addRow("", self._errors[field])
            edit.returnPressed.connect(self.submit)
            edit.textEdited.connect(lambda _t, f=field: self._clear_error(f))
        self.when.setAccessibleName("When")
        self.book_button.setAccessibleName("Book")
        self.book_button.clicked.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("New booking")
        make_title(title)
        layout.addWidget(title)
        layout.addLayout(form)
        button_row = QHBoxLayout()
        button_row.addWidget(self.book_button)
        button_row.addStretch(1)
        layout.addLayout(button_row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.set_slot(None)

    def minimumSizeHint(self) -> QSize:
        # As wide as a chosen slot will ever need (its time, wrapped, and a Resource row) from
        # the start: a minimum that grew on the first click would widen the window then, past
        # the screen's edge on a small laptop at 150%.
        least = self.fontMetrics().averageCharWidth() * 26
        return super().minimumSizeHint().expandedTo(QSize(least, 0))

    def set_slot(
        self, start: datetime | None, end: datetime | None = None, resource_id: int = 1
    ) -> None:
        """The slot the form books; None when no free slot is chosen."""
        self._start, self._resource_id = start, resource_id
        self._show_where(self._resource_name(resource_id) if start is not None else None)
        self._why_no_slot = "Choose a free slot in the day first."  # said if Book is pressed
        self._clear_error("start")
        if start is None or end is None:
            self.when.setText("Choose a free slot in the day")
            self.book_button.setEnabled(False)
        else:
            self.when.setText(when_label(start, end, self._desk.schedule.timezone))
            self.book_button.setEnabled(True)
            self.message.hide()  # what it said was about another slot

    def show_begun(self, start: datetime, end: datetime) -> None:
        """A slot that has begun is chosen: it cannot be booked, and the form says why."""
        self.set_slot(None)
        label = slot_label(start, end, self._desk.schedule.timezone)
        self.when.setText(f"{label} has begun: choose a later slot")
        # Book then points at the way on; "When" just above already says why.
        self._why_no_slot = "Choose a later slot in the day first."

    def slot_taken_elsewhere(self) -> None:
        """The chosen slot was booked by another desk while this form was being filled in.

        The keyboard focus stays where it is: the receptionist may be typing, and what they
        type must not land in another field."""
        self._start = None
        self.book_button.setEnabled(False)
        self._why_no_slot = "Another desk has just booked this time. Choose another free slot."
        if not self.error_text("start"):  # a refusal from Book already says it, in more detail
            self._show_error("start", self._why_no_slot)

    def slot_begun(self, start: datetime, end: datetime) -> None:
        """The chosen slot began while this form was being filled in: what was typed stays,
        and the form says why it cannot book that time now."""
        self._start = None
        self.book_button.setEnabled(False)
        self._why_no_slot = _begun(slot_label(start, end, self._desk.schedule.timezone))
        self._show_error("start", self._why_no_slot)

    def clear(self) -> None:
        """Ready for the next customer. setText, not clear(), which Ctrl+Z could undo and
        bring the previous customer back into an empty-looking form."""
        for edit in self._edits.values():
            edit.setText("")
        for field in self._errors:
            self._clear_error(field)

    def submit(self) -> None:
        """Book the chosen slot for the typed customer; say plainly why not if it fails."""
        for field in self._errors:
            self._clear_error(field)
        if self._start is None:
            self._show_error("start", self._why_no_slot)
            return
        try:
            booking = self._desk.book(
                name=self.name_edit.text(),
                email=self.email_edit.text(),
                phone=self.phone_edit.text(),
                notes=self.notes_edit.text(),
                start=self._start,
                resource_id=self._resource_id,
            )
        except ValidationError as exc:
            self._show_error(exc.field if exc.field in self._errors else "start", exc.message)
            return
        except SlotUnavailable as exc:
            self._show_error("start", exc.message)
            self.slot_taken.emit()
            return
        except TimeSyncerError as exc:
            log.warning("booking failed: %s", exc.message)
            self.show_message(exc.message, error=True)
            return
        tz = self._desk.schedule.timezone
        when = self._where(when_label(booking.start, booking.end, tz))
        self.show_message(f"Booked {booking.customer_name} for {when}.", error=False)
        self.clear()
        self.name_edit.setFocus()
        self.booked.emit(booking)

    def _show_where(self, name: str | None) -> None:
        """The resource's row under "When", shown while there are several resources."""
        if name and self.where is None:
            # Imported here: the first screen of a desk with one resource never needs it.
            from .elided_label import ElidedLabel

            self.where = ElidedLabel()  # a long name is cut with "…", never widening the pane
            self.where.setAccessibleName("Resource")
            self._form.insertRow(1, "Resource", self.where)
        if self.where is not None:
            self.where.setText(name or "")
            self._form.setRowVisible(self.where, bool(name))

    def _where(self, when: str) -> str:
        """``when``, followed by the resource's name while there are several."""
        name = self._resource_name(self._resource_id)
        return f"{when}, {name}" if name else when

    def show_message(self, text: str, *, error: bool) -> None:
        set_tone(self.message, "error" if error else "ok")
        _say(self.message, text)

    def error_text(self, field: str) -> str:
        label = self._errors[field]
        return label.text() if not label.isHidden() else ""

    def _show_error(self, field: str, text: str) -> None:
        _say(self._errors[field], text)
        self.message.hide()
        target = self._edits.get(field)
        if target is not None:
            target.setFocus()
            target.selectAll()

    def _clear_error(self, field: str) -> None:
        self._errors[field].hide()
        self._errors[field].clear()


def _begun(slot: str) -> str:
    return f"{slot} has begun, so it cannot be booked. Choose a later slot."
