"""Moving a booking: pick a day and one of its free slots (and, where there are several, the
resource); the desk re-checks everything."""

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
from ..domain.models import Booking, Resource
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
        # Where to: offered only when there is somewhere else to go; the booking's own is chosen.
        self.resource_combo: QComboBox | None = None
        resources = self._resources()
        if len(resources) > 1:
            self.resource_combo = QComboBox()
            for resource in resources:
                self.resource_combo.addItem(resource.name, resource.id)
            self.resource_combo.setCurrentIndex(
                max(self.resource_combo.findData(booking.resource_id), 0)
            )
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
        where = {r.id: r.name for r in resources}.get(booking.resource_id)
        summary = f"{booking.customer_name}, {when_label(booking.start, booking.end, tz)}"
        form.addRow(
            "Booking", ElidedLabel(f"{summary}, {where}" if self.resource_combo else summary)
        )
        rows: list[tuple[str, QWidget]] = [
            ("New date", self.date_edit),
            ("New time", self.slot_combo),
        ]
        if self.resource_combo is not None:
            rows.append(("Resource", self.resource_combo))
        for label, widget in rows:
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.date_edit.dateChanged.connect(lambda _d: self.load_slots())
        self.slot_combo.currentIndexChanged.connect(lambda _i: self._on_time_chosen())
        if self.resource_combo is not None:
            # The time chosen stays chosen if it is free there too.
            self.resource_combo.currentIndexChanged.connect(lambda _i: self._on_resource())
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
            entries = self._desk.day(day, self.chosen_resource())
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

    def _on_resource(self) -> None:
        """Another resource: its free times, the chosen one kept if it is free there too."""
        chosen, label = self.chosen_start(), self.slot_combo.currentText()
        self.load_slots(keep=chosen)
        if chosen is not None and self.chosen_start() is None and self.resource_combo is not None:
            where = self.resource_combo.currentText()
            self._say(f"{label} is not free in {where}: choose another time.")

    def chosen_resource(self) -> int:
        """The resource the booking is to move to: its own unless another is chosen."""
        if self.resource_combo is None:
            return self._booking.resource_id
        return int(self.resource_combo.currentData())

    def _resources(self) -> list[Resource]:
        """Every resource; if the database cannot say, the booking stays where it is."""
        try:
            return self._desk.repository.resources()
        except TimeSyncerError:
            return []

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
            self.moved = self._desk.move(self._booking.id, start, self.chosen_resource())
        except TimeSyncerError as exc:
            self.load_slots(keep=start)
            self._say(exc.message)
            return
        self.accept()

    def _say(self, message: str) -> None:
        """Show why, with room for it however many lines it takes; the dialog never gets
        narrower than the person made it."""
        self.message.setText(message)
        self.resize(self.size().expandedTo(self.sizeHint()))
