"""Moving a booking: pick a day and one of its free slots; the desk re-checks everything."""

from __future__ import annotations

from datetime import date, datetime

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
from .elided_label import ElidedLabel, plain_text
from .formatting import slot_label, when_label
from .theme import set_tone


class MoveDialog(QDialog):
    """Accepts only once the move is stored; ``moved`` then holds the updated booking."""

    def __init__(self, desk: Desk, booking: Booking, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._booking = booking
        self.moved: Booking | None = None
        self._starts: list[datetime] = []
        tz = desk.schedule.timezone
        self.setWindowTitle("Move booking")
        local = booking.start.astimezone(tz).date()
        self.date_edit = QDateEdit(QDate(local.year, local.month, local.day))
        self.date_edit.setCalendarPopup(True)
        # The day's number first: the cursor starts there, where Up and Down step through the
        # month (in a leading weekday name they stop at Sunday).
        self.date_edit.setDisplayFormat("d MMM yyyy, ddd")
        today = desk.today()
        self.date_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        self.slot_combo = QComboBox()
        # No time is chosen for the person: with the first free one chosen, Enter on opening
        # the dialog would move the booking somewhere nobody picked.
        self.slot_combo.setPlaceholderText("Choose a time")
        self.message = plain_text(QLabel())
        set_tone(self.message, "error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Move")
        # "Close", not "Cancel": in a booking's dialog, Cancel reads as cancelling the booking.
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        form = QFormLayout()
        form.addRow(
            "Booking",
            ElidedLabel(f"{booking.customer_name}, {when_label(booking.start, booking.end, tz)}"),
        )
        for label, widget in (("New date", self.date_edit), ("New time", self.slot_combo)):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.date_edit.dateChanged.connect(lambda _d: self.load_slots())
        self.slot_combo.currentIndexChanged.connect(lambda _i: self._on_time_chosen())
        # Wide enough for the booking's name and time, and for a message under them.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.buttons.accepted.connect(self.try_move)
        self.buttons.rejected.connect(self.reject)
        self.load_slots()

    def load_slots(self, keep: datetime | None = None) -> None:
        """Offer the free, future slots of the chosen day, none of them chosen; ``keep`` stays
        chosen if it is still free."""
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        now = self._desk.clock.now()
        tz = self._desk.schedule.timezone
        self._starts = []  # before the list changes: no time is chosen meanwhile
        self.slot_combo.clear()
        self.message.clear()
        try:
            entries = self._desk.day(day, self._booking.resource_id)
        except TimeSyncerError as exc:
            self.message.setText(exc.message)
            self._say_instead_of_a_time("Could not read this day")
            self.slot_combo.setEnabled(False)
            self._update_button()
            return
        starts = []
        for entry in entries:
            if entry.is_free and entry.slot.start >= now:
                self.slot_combo.addItem(slot_label(entry.slot.start, entry.slot.end, tz))
                starts.append(entry.slot.start)
        self._starts = starts
        if not starts:
            self._say_instead_of_a_time(
                "Closed on this day" if not entries else "No free slot left"
            )
        self.slot_combo.setEnabled(bool(starts))
        if keep in starts:  # with a placeholder, the list chooses nothing by itself
            self.slot_combo.setCurrentIndex(starts.index(keep))
        self._update_button()

    def _say_instead_of_a_time(self, text: str) -> None:
        """Why there is no time to choose, shown where the time would be."""
        self.slot_combo.addItem(text)
        self.slot_combo.setCurrentIndex(0)

    def chosen_start(self) -> datetime | None:
        """The start of the time chosen in the list, if one is."""
        index = self.slot_combo.currentIndex()
        return self._starts[index] if 0 <= index < len(self._starts) else None

    def _on_time_chosen(self) -> None:
        if self.chosen_start() is not None:
            self.message.clear()  # it was about the time chosen before
        self._update_button()

    def _update_button(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.chosen_start() is not None
        )

    def try_move(self) -> None:
        start = self.chosen_start()
        if start is None:
            return
        try:
            self.moved = self._desk.move(self._booking.id, start)
        except TimeSyncerError as exc:
            self.load_slots(keep=start)
            self.message.setText(exc.message)
            # Room for the message, however many lines it takes; never narrower than the
            # person made it.
            self.resize(self.size().expandedTo(self.sizeHint()))
            return
        self.accept()
