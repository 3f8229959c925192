"""The admin table's model: pages of bookings fetched from the database as the view scrolls.

Sorting is an ORDER BY on an indexed column, never a proxy over every row, so the table stays
quick however many bookings the file holds.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from ..domain.models import Booking
from ..storage import BookingQuery, Repository
from .formatting import stamp
from .row_model import Index, RowTableModel

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("customer", "Customer"),
    ("email", "Email"),
    ("start", "Start"),
    ("end", "End"),
    ("resource", "Resource"),
    ("status", "Status"),
    ("created", "Created"),
)
PAGE_SIZE = 200
# A search matching more than this shows "10,000+": counting every match of a term as common
# as "example.com" would read the whole table for a number nobody needs exactly.
COUNT_CAP = 10_000


class BookingTableModel(RowTableModel):
    """Rows arrive a page at a time through ``fetchMore``; ``refresh`` starts again."""

    titles = tuple(title for _key, title in COLUMNS)

    def __init__(
        self,
        repository: Repository,
        tz: tzinfo,
        parent: Any = None,
        query: BookingQuery | None = None,
    ) -> None:
        super().__init__(parent)
        self._repository = repository
        self._tz = tz
        self._query = query if query is not None else BookingQuery(sort="start")
        self._total = 0
        self.total_is_at_least = False
        self._resources: dict[int, str] = {}
        self.refresh()

    @property
    def total(self) -> int:
        """How many bookings match, loaded or not."""
        return self._total

    def refresh(self, keep_loaded: bool = False) -> None:
        """Count again and reload from the first page (after a sort or a new filter).

        With ``keep_loaded`` as many rows as were loaded are read again, so a view scrolled
        far down stays where it was when another desk changes something.
        """
        rows = max(PAGE_SIZE, len(self._rows)) if keep_loaded else PAGE_SIZE
        self.beginResetModel()
        self._resources = {r.id: r.name for r in self._repository.resources()}
        capped = bool(self._query.term)
        self._total = self._repository.count_bookings(
            self._query, limit=COUNT_CAP if capped else None
        )
        self.total_is_at_least = capped and self._total >= COUNT_CAP
        self._rows = self._repository.list_bookings(_with(self._query, limit=rows))
        self.endResetModel()

    def booking_at(self, row: int) -> Booking:
        return self._rows[row]

    @property
    def query(self) -> BookingQuery:
        return self._query

    def set_filters(self, **changes: Any) -> None:
        """Change search, status or date range, then reload from the first page."""
        self._query = _with(self._query, offset=0, **changes)
        self.refresh()

    # -- Qt model interface ----------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(self._rows[index.row()], COLUMNS[index.column()][0])
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()][0] in (
            "customer",
            "email",
        ):
            return self._display(self._rows[index.row()], COLUMNS[index.column()][0])
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and (len(self._rows) < self._total or self.total_is_at_least)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._repository.list_bookings(
            _with(self._query, offset=len(self._rows), limit=PAGE_SIZE)
        )
        if not page:
            self._total, self.total_is_at_least = len(self._rows), False
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()
        if len(self._rows) > self._total:
            self._total = len(self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        query = _with(self._query, sort=COLUMNS[column][0], descending=descending, offset=0)
        if query == self._query and self._rows:
            return  # QTableView.sortByColumn asks twice; the rows are already in this order
        self._query = query
        self.refresh()

    def _display(self, booking: Booking, key: str) -> str:
        values = {
            "id": str(booking.id),
            "customer": booking.customer_name,
            "email": booking.customer_email,
            "start": stamp(booking.start, self._tz),
            "end": stamp(booking.end, self._tz),
            "resource": self._resources.get(booking.resource_id, f"#{booking.resource_id}"),
            "status": booking.status.value.capitalize(),
            "created": stamp(booking.created, self._tz),
        }
        return values[key]


def _with(query: BookingQuery, **changes: Any) -> BookingQuery:
    from dataclasses import replace

    return replace(query, **changes)
