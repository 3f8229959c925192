"""The main window: the Book tab for the front desk and the Admin tab for the table."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from ..desk import Desk
from ..paths import resource_path
from .admin_page import AdminPage
from .booking_page import BookingPage

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Owns the desk's repository when ``owns_repository`` and closes it with the window."""

    def __init__(
        self, desk: Desk, *, owns_repository: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self._owns_repository = owns_repository
        self.setWindowTitle("TimeSyncer")
        icon = resource_path("icon.png")
        if icon.is_file():
            self.setWindowIcon(QIcon(str(icon)))

        self.booking_page = BookingPage(desk)
        self.admin_page = AdminPage(desk)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.booking_page, "Book")
        self.tabs.addTab(self.admin_page, "Admin")
        self.setCentralWidget(self.tabs)
        self.booking_page.booked.connect(self._on_booked)
        self.statusBar().showMessage(
            f"Desk time zone {desk.schedule.timezone} · {desk.schedule.hours.describe()}"
        )

    def sizeHint(self) -> QSize:
        return QSize(960, 640)

    def _on_booked(self, booking_id: int) -> None:
        self.admin_page.refresh()
        self.statusBar().showMessage(f"Booking #{booking_id} saved.", 5000)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._owns_repository:
            self.desk.repository.close()
            self._owns_repository = False
        super().closeEvent(event)
