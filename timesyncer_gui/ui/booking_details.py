"""A booked slot's details, with Cancel (asks first) and Move (to another free slot)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from ..domain.errors import TimeSyncerError
from ..domain.models import Booking
from ..domain.outbox import MessageState
from .elided_label import ElidedLabel, plain_text
from .flow_layout import FlowLayout
from .formatting import moment, when_label
from .notes_view import NotesView
from .theme import make_title, set_tone

# Text the desk typed: one line each, cut with "…" if too long (whole in its tooltip). The
# others wrap: the time of a booking is never cut off, however narrow the panel.
_ONE_LINE = ("Customer", "Email", "Phone", "Resource")


class BookingDetails(QWidget):
    """Shows one booking; emits ``cancelled`` after a confirmed cancel, ``move_requested``."""

    cancelled = Signal(object)
    move_requested = Signal(object)
    edit_requested = Signal(object)

    def __init__(
        self,
        desk: Desk,
        resource_name: Callable[[int], str | None] = lambda _id: None,
        parent: QWidget | None = None,
    ) -> None:
        """``resource_name`` names a booking's resource while there are several to tell
        apart; None hides the row."""
        super().__init__(parent)
        self._desk = desk
        self._resource_name = resource_name
        self.booking: Booking | None = None
        self.title = QLabel("Booking")
        make_title(self.title)
        self.fields: dict[str, QLabel | NotesView] = {}
        form = QFormLayout()
        self._form = form
        keys = ("Customer", "Email", "Phone", "Notes", "When", "Resource", "Booked on", "Emails")
        for key in keys:
            value: QLabel | NotesView
            if key in _ONE_LINE:
                value = ElidedLabel()
            elif key == "Notes":
                value = NotesView()
            else:
                value = plain_text(QLabel())
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setWordWrap(True)
                # Wrapped to the panel's width, never widening it (a failed email's whole
                # reply is on the Mail tab).
                value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            value.setAccessibleName(key)
            self.fields[key] = value
            form.addRow(key, value)
        self.cancel_button = QPushButton("Cancel booking…")
        self.cancel_button.setAccessibleName("Cancel booking…")
        self.move_button = QPushButton("Move…")
        self.move_button.setAccessibleName("Move…")
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit…")
        self.edit_button.setToolTip("Correct the customer's name, email, phone or notes")
        for button in (self.move_button, self.edit_button, self.cancel_button):
            button.setAutoDefault(True)  # Enter presses the focused button, as Space does
        self.message = plain_text(QLabel())
        set_tone(self.message, "error")
        self.message.setWordWrap(True)
        # One row where there is room; on a narrow pane (a small laptop at 150%) the buttons
        # wrap onto a second line rather than widening the window past the screen.
        buttons = FlowLayout()
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.cancel_button.clicked.connect(self.confirm_cancel)
        self.move_button.clicked.connect(lambda: self.move_requested.emit(self.booking))
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.booking))

    def show_booking(self, booking: Booking) -> None:
        """Show ``booking``; a cancelled one says so and offers no Cancel or Move."""
        tz = self._desk.schedule.timezone
        self.booking = booking
        active = booking.is_active
        self.title.setText(f"Booking #{booking.id}" + ("" if active else " · cancelled"))
        values = {
            "Customer": booking.customer_name,
            "Email": booking.customer_email,
            "Phone": booking.phone or "—",
            "Notes": booking.notes or "—",
            "When": when_label(booking.start, booking.end, tz),
            "Booked on": moment(booking.created, tz),  # in words, as "When" is
        }
        for key, text in values.items():
            self.fields[key].setText(text)
        resource = self._resource_name(booking.resource_id)
        self.fields["Resource"].setText(resource or "")
        self._form.setRowVisible(self.fields["Resource"], resource is not None)
        self.cancel_button.setEnabled(active)
        self.move_button.setEnabled(active)
        self.message.clear()
        if not active:
            when = f" on {moment(booking.cancelled, tz)}" if booking.cancelled else ""
            set_tone(self.message, "plain")
            self.message.setText(f"Cancelled{when}. Its time is free for other bookings.")
        else:
            set_tone(self.message, "error")
        self.refresh_mail()

    def refresh_mail(self) -> None:
        """What happened to this booking's emails: sent, waiting, or why not."""
        booking = self.booking
        if booking is None:
            return
        try:
            messages = self._desk.repository.outbox.for_booking(booking.id)
        except TimeSyncerError:
            return
        tz = self._desk.schedule.timezone
        lines = []
        for message in messages:
            what = message.kind.value.capitalize()
            if message.recipient.casefold() != booking.customer_email.casefold():
                what += f" to {message.recipient}"  # an address corrected since
            if message.state is MessageState.SENT and message.sent is not None:
                lines.append(f"{what} sent {moment(message.sent, tz)}")
            elif message.state is MessageState.FAILED:
                lines.append(f"{what} failed: {message.last_error}")
            elif message.state is MessageState.SKIPPED:
                continue
            else:
                lines.append(f"{what} waiting to be sent")
        self.fields["Emails"].setText("\n".join(lines) or "—")

    def confirm_cancel(self) -> None:
        """Ask, naming whose booking and when; cancel only on an explicit yes."""
        booking = self.booking
        if booking is None:
            return
        from PySide6.QtWidgets import QMessageBox  # only when someone cancels: not at start-up

        when = when_label(booking.start, booking.end, self._desk.schedule.timezone)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Cancel booking",
            f"Cancel {booking.customer_name}'s booking on {when}?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        # Buttons of its own, not Yes and No relabelled: those keep Yes's and No's icons,
        # which put a green tick on cancelling and a red cross on keeping.
        cancel = box.addButton("Cancel booking", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name as typed, never as markup
        box.setInformativeText(
            "The slot becomes free. Ctrl+Z undoes this while the window is open."
        )
        box.exec()
        chosen = box.clickedButton()
        box.deleteLater()
        if chosen is not cancel:
            return
        try:
            cancelled = self._desk.cancel(booking.id)
        except TimeSyncerError as exc:
            set_tone(self.message, "error")
            self.message.setText(exc.message)
            return
        self.cancelled.emit(cancelled)
