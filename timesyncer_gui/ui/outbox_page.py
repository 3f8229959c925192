"""The Mail tab: every email the desk owes or has sent, and what happened to it."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import TimeSyncerError
from ..domain.outbox import MessageState, OutboxMessage
from ..storage import Repository
from .formatting import plain_tip, stamp
from .row_model import Index, RowTableModel
from .theme import make_quiet, set_tone

COLUMNS = ("Queued", "Message", "To", "Booking", "State", "Tries", "Next try", "Last error")
SHOWN = 500


class OutboxModel(RowTableModel):
    """The newest messages, read again whenever the notifier reports."""

    titles = COLUMNS

    def __init__(self, repository: Repository, tz: tzinfo, parent: Any = None) -> None:
        super().__init__(parent)
        self._repository = repository
        self._tz = tz

    def refresh(self) -> None:
        self.beginResetModel()
        self._rows = self._repository.outbox.page(limit=SHOWN)
        self.endResetModel()

    def message_at(self, row: int) -> OutboxMessage:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        m = self._rows[index.row()]
        waiting = m.state in (MessageState.QUEUED, MessageState.SENDING)
        values = (
            stamp(m.created, self._tz),
            m.kind.value.capitalize(),
            m.recipient,
            f"#{m.booking_id}",
            m.state.value.capitalize(),
            str(m.attempts),
            stamp(m.next_attempt, self._tz) if waiting else "",
            m.last_error or "",
        )
        value = values[index.column()]
        # An address or a server's reply quoting <addr> is shown as written, not as markup.
        return plain_tip(value) if role == Qt.ItemDataRole.ToolTipRole else value


class OutboxPage(QWidget):
    """Lists the outbox; "Retry now" sends a failed message again at once."""

    retry_requested = Signal(int)

    def __init__(self, repository: Repository, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutboxModel(repository, tz, self)
        self.summary = QLabel()
        make_quiet(self.summary)
        self.message = QLabel()
        set_tone(self.message, "error")
        # How mail stands (the status bar's words), so the reason emails wait is seen here.
        self.mail_state = QLabel()
        self.mail_state.setAccessibleName("Mail state")
        self.mail_state.setWordWrap(True)
        self.mail_state.hide()
        self.retry_button = QPushButton("Retry now")
        self.retry_button.setAccessibleName("Retry now")
        self.retry_button.setEnabled(False)
        self.table = QTableView()
        self.table.setAccessibleName("Emails")
        self.table.setModel(self.model)
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        stamp_width = metrics.horizontalAdvance("2026-11-30 09:00") + 24
        for column, width in enumerate((stamp_width, 110, 220, 80, 80, 50, stamp_width)):
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)  # as Admin's
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.mail_state)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.message.hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_button())
        self.retry_button.clicked.connect(self._retry)

    def refresh(self) -> None:
        selected = self.selected()
        try:
            self.model.refresh()
        except TimeSyncerError as exc:
            self.message.setText(exc.message)
            self.message.show()
            return
        self.message.hide()
        rows = self.model.rowCount()
        self.summary.setText(f"{rows} email{'s' if rows != 1 else ''} (newest first)")
        if selected is not None:
            for row in range(rows):
                if self.model.message_at(row).id == selected.id:
                    self.table.selectRow(row)
        self._update_button()

    def show_mail_state(self, text: str, trouble: bool) -> None:
        """What the sender last said, in the error colour when emails are held up."""
        set_tone(self.mail_state, "error" if trouble else "plain")
        self.mail_state.setText(text)
        self.mail_state.show()

    def selected(self) -> OutboxMessage | None:
        index = self.table.currentIndex()
        return self.model.message_at(index.row()) if index.isValid() else None

    def _update_button(self) -> None:
        """Retry now: for a failed message, and for one waiting for its next try (up to an
        hour away once the server has been down a while)."""
        message = self.selected()
        self.retry_button.setEnabled(
            message is not None
            and (
                message.state is MessageState.FAILED
                or (message.state is MessageState.QUEUED and message.attempts > 0)
            )
        )

    def _retry(self) -> None:
        message = self.selected()
        if message is not None:
            self.retry_requested.emit(message.id)
