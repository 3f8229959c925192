"""A date field for filters that can also say "Any"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QObject, QSignalBlocker
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget

ANY_DATE = QDate(2000, 1, 1)
_STEPS = QAbstractSpinBox.StepEnabledFlag


class DateFilter(QDateEdit):
    """A day to filter by, or "Any": the minimum date, shown as the special value text.

    "Any" has no day, month or year to move between, so Tab leaves it at once (Qt's date edit
    would stay, looking for a next section "Any" does not show). Stepping from "Any", or
    opening the pop-up on it, starts at ``start_at()``, not at the placeholder day in 2000.
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

    def focusNextPrevChild(self, next: bool) -> bool:
        if self.is_any():
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
