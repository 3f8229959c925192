"""The admin table's model: pages of bookings fetched from the database as the view scrolls.

Sorting is an ORDER BY on an indexed column, never a proxy over every row, so the table stays
quick however many bookings the file holds.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from ..domain.errors import TimeSyncerError
from ..domain.models import Booking
from ..storage import BookingQuery, Repository
from .formatting import plain_tip, stamp
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
    """Rows arrive a page at a time through ``fetchMore``; ``refresh`` starts again.

    ``refresh`` and ``set_filters`` raise the repository's errors for their caller to show.
    ``sort`` and ``fetchMore`` are called by the view, where an exception has nowhere to go:
    they emit ``load_failed`` with a sentence for the person instead.
    """

    titles = tuple(title for _key, title in COLUMNS)
    load_failed = Signal(str)

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
        self._load(self._query, keep_loaded)

    def _load(self, query: BookingQuery, keep_loaded: bool = False) -> None:
        """Read everything first and only then reset: a failed read leaves the rows, the
        query and the view exactly as they were, with no reset left open."""
        rows = max(PAGE_SIZE, len(self._rows)) if keep_loaded else PAGE_SIZE
        resources = {r.id: r.name for r in self._repository.resources()}
        capped = bool(query.term)
        total = self._repository.count_bookings(query, limit=COUNT_CAP if capped else None)
        page = self._repository.list_bookings(_with(query, limit=rows))
        self.beginResetModel()
        self._query, self._resources, self._rows = query, resources, page
        self._total = total
        self.total_is_at_least = capped and total >= COUNT_CAP
        self.endResetModel()

    def booking_at(self, row: int) -> Booking:
        return self._rows[row]

    def row_of(self, booking_id: int) -> int | None:
        """The loaded row showing this booking, if it is loaded."""
        return next((row for row, b in enumerate(self._rows) if b.id == booking_id), None)

    @property
    def query(self) -> BookingQuery:
        return self._query

    def set_filters(self, keep_loaded: bool = False, **changes: Any) -> None:
        """Change search, status or date range, then reload (see ``refresh``).

        The new filters are kept only once their rows have been read.
        """
        self._load(_with(self._query, offset=0, **changes), keep_loaded)

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
            # Customer text, shown as typed: a name written as markup is not rendered.
            return plain_tip(self._display(self._rows[index.row()], COLUMNS[index.column()][0]))
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and (len(self._rows) < self._total or self.total_is_at_least)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        try:
            page = self._repository.list_bookings(
                _with(self._query, offset=len(self._rows), limit=PAGE_SIZE)
            )
        except TimeSyncerError as exc:
            self.load_failed.emit(f"Could not load more bookings. {exc.message}")
            return
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
        try:
            self._load(query)
        except TimeSyncerError as exc:
            self.load_failed.emit(f"Could not sort the bookings. {exc.message}")

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
