"""A date field for filters that can also say "Any"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QObject, QSignalBlocker, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget

ANY_DATE = QDate(2000, 1, 1)
_STEPS = QAbstractSpinBox.StepEnabledFlag
_CLEARING_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class DateFilter(QDateEdit):
    """A day to filter by, or "Any": the minimum date, shown as the special value text.

    "Any" has no day, month or year to move between, so Tab leaves it at once (Qt's date edit
    would stay, looking for a next section "Any" does not show). Stepping from "Any", or
    opening the pop-up on it, starts at ``start_at()``, not at the placeholder day in 2000.

    Delete or Backspace on the whole text, or a field left blank, sets it back to "Any": the
    keyboard's way to drop one date. Qt would keep a blank field blank while the table still
    filtered by the old day, and Tab would stay in it, looking for a section in no text. Text
    left half typed (a day erased, say) gets its last valid date back when the field is left
    (Qt's own correction, the default).
    """

    def __init__(self, label: str, start_at: Callable[[], QDate]) -> None:
        super().__init__()
        self._start_at = start_at
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        self.setMinimumDate(ANY_DATE)
        self.setSpecialValueText("Any")
        self.setDate(ANY_DATE)
        self.setAccessibleName(label)
        self.calendarWidget().window().installEventFilter(self)  # the pop-up opening

    def is_any(self) -> bool:
        return self.date() == self.minimumDate()

    def set_any(self) -> None:
        """Back to "Any"; ``dateChanged`` tells the filter if the field held a day."""
        self.setDate(self.minimumDate())  # shows "Any" again even if it already was
        self.selectAll()

    def _is_blank(self) -> bool:
        return not self.lineEdit().text().strip()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        edit = self.lineEdit()
        whole = self._is_blank() or edit.selectedText() == edit.text() or self.is_any()
        if event.key() in _CLEARING_KEYS and whole:
            self.set_any()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._is_blank():
            self.set_any()
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if self._is_blank():
            self.set_any()  # Qt's correction would put the old day back: blank means "Any"
        super().focusOutEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        if self.is_any() or self._is_blank():
            self.set_any()  # "Any" shown whole, whatever was erased or typed over it
            return QWidget.focusNextPrevChild(self, next)
        return super().focusNextPrevChild(next)

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        if self.is_any():
            return _STEPS.StepUpEnabled | _STEPS.StepDownEnabled
        return super().stepEnabled()

    def stepBy(self, steps: int) -> None:
        if self.is_any():
            self.setDate(self._start_at())
        else:
            super().stepBy(steps)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.is_any():
            # Shown, not chosen: "Any" stays until a day is picked, and Escape keeps it.
            calendar = self.calendarWidget()
            with QSignalBlocker(calendar):
                calendar.setSelectedDate(self._start_at())
        return super().eventFilter(watched, event)
