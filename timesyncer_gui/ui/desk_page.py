"""The front desk: calendar, the chosen day's slots, and the form or booking details."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..availability import availability
from ..desk import DaySlot, Desk
from ..domain.errors import SlotUnavailable, TimeSyncerError
from ..domain.models import Booking
from .booking_form import BookingForm
from .calendar import AvailabilityCalendar, CalendarLegend
from .day_view import DayView
from .formatting import brief, when_label
from .theme import make_title

if TYPE_CHECKING:
    from .booking_details import BookingDetails
    from .customer_dialog import CustomerDialog
    from .move_dialog import MoveDialog

log = logging.getLogger(__name__)

LOOK_AHEAD_DAYS = 92  # how far Ctrl+N looks for a free slot: about three months
_PANE_GAP = 8  # pixels, scaled with the screen like the rest


class DeskPage(QWidget):
    """Emits ``changed`` after any booking change made here, and ``status`` with a sentence."""

    changed = Signal()
    status = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.last_cancelled: Booking | None = None
        self.move_dialog: MoveDialog | None = None  # while open, for whoever drives it
        self.customer_dialog: CustomerDialog | None = None  # likewise

        self.calendar = AvailabilityCalendar(desk)
        self.resource_combo = QComboBox()
        self.resource_combo.setAccessibleName("Resource")
        self.resource_label = QLabel("Resource")
        self.resource_label.setBuddy(self.resource_combo)
        self.day_title = QLabel()
        make_title(self.day_title)
        self.day_view = DayView(desk)
        self.form = BookingForm(desk, self._resource_name)
        self._details: BookingDetails | None = None
        self._detached: Booking | None = None  # shown, but held by no row of the day
        self.panel = QStackedWidget()
        self.panel.addWidget(self.form)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        resource_row = QHBoxLayout()
        resource_row.addWidget(self.resource_label)
        resource_row.addWidget(self.resource_combo, 1)
        left_layout.addLayout(resource_row)
        left_layout.addWidget(self.calendar)
        left_layout.addWidget(CalendarLegend())
        left_layout.addStretch(1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        # A gap before each pane besides the splitter's thin handle, so that a long day title
        # does not run on into the next pane's title.
        middle_layout.setContentsMargins(_PANE_GAP, 0, 0, 0)
        middle_layout.addWidget(self.day_title)
        middle_layout.addWidget(self.day_view, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(_PANE_GAP, 0, 0, 0)
        right_layout.addWidget(self.panel)

        self.splitter = QSplitter()  # side by side, as a splitter starts
        self.splitter.setChildrenCollapsible(False)
        for widget, stretch in ((left, 0), (middle, 1), (right, 1)):
            self.splitter.addWidget(widget)
            self.splitter.setStretchFactor(self.splitter.count() - 1, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(self.splitter)

        self.calendar.day_chosen.connect(self._on_day_chosen)
        self.calendar.status.connect(self.status)
        self.day_view.slot_selected.connect(self._on_slot)
        self.day_view.doubleClicked.connect(lambda _i: self.focus_panel())
        self.day_view.activated.connect(lambda _i: self.focus_panel())  # Enter, too
        self.form.booked.connect(self._on_booked)
        self.form.slot_taken.connect(self._on_slot_taken)
        self.resource_combo.currentIndexChanged.connect(lambda _i: self._on_resource())
        self.setTabOrder(self.calendar, self.day_view)
        self.setTabOrder(self.day_view, self.form.name_edit)
        self.setTabOrder(self.form.name_edit, self.form.email_edit)
        self.setTabOrder(self.form.email_edit, self.form.phone_edit)
        self.setTabOrder(self.form.phone_edit, self.form.notes_edit)
        self.setTabOrder(self.form.notes_edit, self.form.book_button)
        self.load_resources()
        self.load_day()

    @property
    def details(self) -> BookingDetails:
        """A booked slot's details, built when first shown: the first paint shows the form."""
        if self._details is None:
            from .booking_details import BookingDetails

            self._details = BookingDetails(self.desk, self._resource_name)
            self._details.cancelled.connect(self._on_cancelled)
            self._details.move_requested.connect(self.move_booking)
            self._details.edit_requested.connect(self.edit_customer)
            self.panel.addWidget(self._details)
        return self._details

    def refresh_mail(self) -> None:
        """Say again what happened to the shown booking's emails, if one is shown."""
        if self._details is not None:
            self._details.refresh_mail()

    # -- what is shown ---------------------------------------------------------------------

    def resource_id(self) -> int:
        data = self.resource_combo.currentData()
        return int(data) if data is not None else 1

    def choose_resource(self, resource_id: int) -> None:
        """Show ``resource_id``'s calendar and day, if there is such a resource."""
        index = self.resource_combo.findData(resource_id)
        if index >= 0 and index != self.resource_combo.currentIndex():
            self.resource_combo.setCurrentIndex(index)

    def _resource_name(self, resource_id: int) -> str | None:
        """A resource's name while there are several to tell apart; None with just one."""
        combo = self.resource_combo
        index = combo.findData(resource_id) if combo.count() > 1 else -1
        return combo.itemText(index) if index >= 0 else None

    def load_resources(self) -> None:
        """The resource selector, shown when there is more than one to choose from."""
        resources = self.desk.repository.resources()
        combo = self.resource_combo
        shown = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
        if resources and shown == [(r.id, r.name) for r in resources]:
            return
        keep = self.resource_combo.currentData()
        self.resource_combo.blockSignals(True)
        self.resource_combo.clear()
        for resource in resources:
            self.resource_combo.addItem(resource.name, resource.id)
        index = self.resource_combo.findData(keep)
        self.resource_combo.setCurrentIndex(max(index, 0))
        self.resource_combo.blockSignals(False)
        several = len(resources) > 1
        self.resource_combo.setVisible(several)
        self.resource_label.setVisible(several)
        self.calendar.set_resource(self.resource_id())

    def load_day(self, keep_selection: bool = True) -> None:
        """Show the calendar's selected day, keeping the selected slot if it still exists."""
        current = self.day_view.current_slot() if keep_selection else None
        filling_in = self.panel.currentWidget() is self.form and current is not None
        day = self.calendar.selected_day()
        self.day_title.setText(f"{day:%A %d %B %Y}")
        try:
            self.day_view.load(day, self.resource_id(), current.slot.start if current else None)
        except TimeSyncerError as exc:
            self.status.emit(exc.message)
            return
        if self.day_view.day_model.is_closed():  # its rows, if any, are older bookings
            self.day_title.setText(f"{self.day_title.text()} · closed")
        now = self.day_view.current_slot()
        if filling_in and now is not None and now.booking is not None:
            # Another desk took the slot being filled in: keep what was typed, say so.
            self.panel.setCurrentWidget(self.form)
            self.form.slot_taken_elsewhere()
        elif (
            filling_in
            and now is not None
            and self.day_view.day_model.is_past(self.day_view.currentIndex().row())
        ):  # the slot being filled in has begun meanwhile
            self.form.slot_begun(now.slot.start, now.slot.end)

    def refresh(self, keep_selection: bool = True) -> None:
        """Re-read the calendar and the day, e.g. after another desk changed something.

        ``keep_selection=False`` after a change made here: the slot then booked again is not
        one "another desk took" while it was being filled in."""
        try:
            self.load_resources()  # a resource another desk added appears too
            self.calendar.refresh()
        except TimeSyncerError as exc:
            self.status.emit(exc.message)  # the day is read on its own, and may still work
        self.load_day(keep_selection)

    def show_day(self, day: date) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def select_booking(self, booking: Booking) -> None:
        """Go to a booking's day and show its details (from the admin table), as the booking
        stands now: the table's row may be older than a change made since."""
        booking = self._as_it_stands(booking)
        self.choose_resource(booking.resource_id)
        self.show_day(self.desk.schedule.local(booking.start).date())
        # Its slot's row, if that row still holds this booking; a cancelled or moved-away
        # booking's old time may be free now, or someone else's.
        row = self.day_view.day_model.row_of(booking.start)
        entry = self.day_view.day_model.slot_at(row) if row >= 0 else None
        held = entry is not None and entry.booking is not None and entry.booking.id == booking.id
        if held and booking.is_active and entry is not None:
            self.day_view.selectRow(row)
            self._on_slot(entry)  # shown even if that row was already the current one
        else:
            self.day_view.choose_nothing()
            self._show_detached(booking)

    def _as_it_stands(self, booking: Booking) -> Booking:
        """``booking`` read again; as it was if the database cannot say (and why is told)."""
        try:
            return self.desk.repository.get(booking.id)
        except TimeSyncerError as exc:
            self.status.emit(exc.message)
            return booking

    def _show_detached(self, booking: Booking) -> None:
        """Show ``booking``, which no row of the day holds."""
        self._detached = booking
        self.details.show_booking(booking)
        self.panel.setCurrentWidget(self.details)

    def new_booking(self) -> None:
        """Ctrl+N: the next free slot goes to the form, focus on the name. It is the shown
        day's if one is left, else the soonest from today on, whose day the calendar then
        shows."""
        self._detached = None  # Ctrl+N means the form, whatever was shown
        shown = self.calendar.selected_day()
        self.load_day(keep_selection=False)  # "free" as of now: the clock may have jumped
        row = self._first_free_row()
        if row < 0:
            try:
                later = self._next_day_with_a_free_slot()
            except TimeSyncerError as exc:
                self.status.emit(exc.message)
                return
            if later is not None:
                self.show_day(later)
                row = self._first_free_row()
                # Short: it shares the status bar with the mail state and the opening hours.
                self.status.emit(
                    f"Nothing free on {shown:%a %d %b}; soonest free: {later:%a %d %b}."
                )
        model = self.day_view.day_model
        if row >= 0:
            self.day_view.selectRow(row)
            self._on_slot(model.slot_at(row))
        else:
            self.form.set_slot(None)
            self.status.emit(
                f"No free slot in the next {LOOK_AHEAD_DAYS} days; pick a day in the calendar."
            )
        self.panel.setCurrentWidget(self.form)
        self.form.name_edit.setFocus()

    def _first_free_row(self) -> int:
        model = self.day_view.day_model
        return next(
            (
                r
                for r in range(model.rowCount())
                if model.slot_at(r).is_free and not model.is_past(r)
            ),
            -1,
        )

    def _next_day_with_a_free_slot(self) -> date | None:
        """The first day from today on, other than the shown one, with a free slot to come;
        one counting query for all the days, as the calendar shades them."""
        shown = self.calendar.selected_day()
        days = availability(self.desk, self.desk.today(), LOOK_AHEAD_DAYS, self.resource_id())
        return next(
            (
                day
                for day, info in days.items()
                if day != shown and not info.past and info.booked < info.slots
            ),
            None,
        )

    # -- actions ---------------------------------------------------------------------------

    def undo_cancel(self) -> None:
        """Ctrl+Z: give the last cancelled booking its slot back, if nobody took it since."""
        booking = self.last_cancelled
        if booking is None:
            return
        try:
            restored = self.desk.restore(booking.id)
        except SlotUnavailable:
            # For good: nothing more to undo, and no slot to pick (as the refusal would say).
            self.last_cancelled = None
            self.refresh(keep_selection=False)  # shows who holds the time now
            self.status.emit(
                f"Could not undo the cancel: {brief(booking.customer_name)}'s time has been "
                "booked again since. Book them another time."
            )
            self.changed.emit()
            return
        except TimeSyncerError as exc:
            self.status.emit(f"Could not undo the cancel: {exc.message}")
            return
        self.last_cancelled = None
        self._show_changed(restored, f"Restored {brief(restored.customer_name)}'s booking.")

    def edit_customer(self, booking: Booking | None) -> None:
        """Edit…: correct the customer's details; a new address is sent the confirmation."""
        if booking is None:
            return
        from .customer_dialog import CustomerDialog  # only when someone corrects a booking

        dialog = CustomerDialog(self.desk, booking, self)
        self.customer_dialog = dialog
        if dialog.exec() == CustomerDialog.DialogCode.Accepted and dialog.saved is not None:
            saved = dialog.saved
            told = (
                " The confirmation goes to the new address."
                if saved.is_active
                and saved.customer_email.casefold() != booking.customer_email.casefold()
                else ""
            )
            self._show_changed(saved, f"Saved {brief(saved.customer_name)}'s details.{told}")
        self.customer_dialog = None
        dialog.deleteLater()

    def move_booking(self, booking: Booking | None) -> None:
        if booking is None:
            return
        from .move_dialog import MoveDialog  # only when someone moves a booking

        dialog = MoveDialog(self.desk, booking, self)
        self.move_dialog = dialog
        if dialog.exec() == MoveDialog.DialogCode.Accepted and dialog.moved is not None:
            moved = dialog.moved
            # Where it went, in words: the desk follows it, perhaps to another day or room.
            to = when_label(moved.start, moved.end, self.desk.schedule.timezone)
            where = self._resource_name(moved.resource_id)
            to += f", {where}" if where else ""
            self._show_changed(moved, f"Moved {brief(moved.customer_name)}'s booking to {to}.")
        self.move_dialog = None
        dialog.deleteLater()

    def _show_changed(self, booking: Booking, said: str) -> None:
        """After a change made here: say it, show the booking as it now stands (on its day and
        resource), and tell the window, which refreshes the other tabs."""
        self.status.emit(said)
        self.refresh(keep_selection=False)
        self.select_booking(booking)
        self.changed.emit()

    # -- reactions -------------------------------------------------------------------------

    def _on_slot(self, entry: DaySlot | None) -> None:
        if entry is None and self._detached is not None:
            # A booking shown with no row of its own (a cancelled one opened from Admin)
            # stays shown while the day around it is reloaded.
            self._show_detached(self._as_it_stands(self._detached))
            return
        self._detached = None
        if entry is not None and entry.booking is not None:
            self.details.show_booking(entry.booking)
            self.panel.setCurrentWidget(self.details)
            return
        self.panel.setCurrentWidget(self.form)
        row = self.day_view.currentIndex().row()
        if entry is None or row < 0:
            self.form.set_slot(None)
        elif self.day_view.day_model.is_past(row):
            self.form.show_begun(entry.slot.start, entry.slot.end)
        else:
            self.form.set_slot(entry.slot.start, entry.slot.end, self.resource_id())

    def _on_day_chosen(self, day: date) -> None:
        """Another day chosen: a booking shown from another day gives way to it."""
        detached = self._detached
        if detached is not None and self.desk.schedule.local(detached.start).date() != day:
            self._detached = None
        self.load_day()

    def _on_resource(self) -> None:
        """Another resource chosen: its availability and its day."""
        self._detached = None
        self.calendar.set_resource(self.resource_id())
        self.load_day(keep_selection=False)

    def focus_panel(self) -> None:
        """Keyboard focus to what was just opened: the form's name, or the booking's Move…
        (the day, for a cancelled booking, which offers nothing to press)."""
        if self.panel.currentWidget() is self.form:
            self.form.name_edit.setFocus()
        elif self.details.move_button.isEnabled():
            self.details.move_button.setFocus()
        else:
            self.day_view.setFocus()

    def _on_booked(self, _booking: Booking) -> None:
        """The slot shows booked at once; the form, cleared, waits for the next customer."""
        self.refresh(keep_selection=False)
        self.panel.setCurrentWidget(self.form)
        self.form.name_edit.setFocus()
        self.changed.emit()

    def _on_slot_taken(self) -> None:
        self.refresh()
        self.changed.emit()

    def _on_cancelled(self, booking: Booking) -> None:
        self.last_cancelled = booking
        self.status.emit(f"Cancelled {brief(booking.customer_name)}'s booking. Ctrl+Z undoes it.")
        self.refresh()
        self.day_view.select_start(booking.start)
        # Back in the day, not in a text field, so Ctrl+Z undoes the cancel, not typing.
        self.day_view.setFocus()
        self.changed.emit()
