"""The Admin tab: every booking in a table, newest start first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..desk import Desk
from .bookings_model import COLUMNS, BookingTableModel


class AdminPage(QWidget):
    """Builds its model the first time it is shown, so start-up does not pay for it."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.model: BookingTableModel | None = None
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.table = QTableView()
        self.table.setAccessibleName("Bookings")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_model()
        super().showEvent(event)

    def ensure_model(self) -> BookingTableModel:
        if self.model is None:
            self.model = BookingTableModel(
                self._desk.repository, self._desk.schedule.timezone, self
            )
            self.table.setModel(self.model)
            header = self.table.horizontalHeader()
            header.setSortIndicator(3, Qt.SortOrder.DescendingOrder)
            self.table.setSortingEnabled(True)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)
            metrics = self.table.fontMetrics()
            stamp_width = metrics.horizontalAdvance("2026-11-30 09:00") + 24
            widths = {
                "id": metrics.horizontalAdvance("000000") + 16,
                "customer": 180,
                "email": 220,
                "start": stamp_width,
                "end": stamp_width,
                "resource": 110,
                "status": 90,
            }
            for column, (key, _title) in enumerate(COLUMNS):
                if key in widths:
                    self.table.setColumnWidth(column, widths[key])
            self.model.modelReset.connect(self._update_summary)
            self._update_summary()
        return self.model

    def refresh(self) -> None:
        """Reload after a change; a no-op until the tab has been opened."""
        if self.model is not None:
            self.model.refresh()

    def _update_summary(self) -> None:
        total = self.model.total if self.model is not None else 0
        self.summary.setText(f"{total} booking{'s' if total != 1 else ''}")
