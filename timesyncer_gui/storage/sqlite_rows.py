"""How bookings are read from SQLite: the columns, the orders, the overlap probe, and the
row-to-Booking mapping shared by every query of the repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..domain.models import Booking, BookingStatus, from_epoch

MAX_BOOKING_SECONDS = 24 * 3600

COLUMNS = (
    "id, resource_id, customer_name, customer_email, start_utc, end_utc, status, "
    "created_utc, phone, notes, cancelled_utc"
)
ORDER = {
    "id": "id",
    "customer": "name_key",  # folded: "Émile" among the E's (see domain/folding.py)
    "email": "customer_email COLLATE NOCASE",
    "start": "start_utc",
    "end": "end_utc",
    "resource": "resource_id",
    "status": "status",
    "created": "created_utc",
}
# Reads the latest active booking that starts before the new end; see the schema's trigger.
CONFLICT = (
    f"SELECT {COLUMNS} FROM bookings INDEXED BY bookings_active_slot"
    " WHERE resource_id = ? AND status = 'booked' "
    "AND start_utc < ? AND id <> ? ORDER BY start_utc DESC LIMIT 1"
)


def start_index(resource_id: int | None, include_cancelled: bool) -> str:
    """The index that reads a window of starts. Named, because without statistics the planner
    takes an index on ``status`` to be selective and would read every active booking."""
    if include_cancelled:
        return "bookings_start"
    return "bookings_active_slot" if resource_id is not None else "bookings_active_start"


def booking_from_row(row: Sequence[Any]) -> Booking:
    return Booking(
        id=int(row[0]),
        resource_id=int(row[1]),
        customer_name=row[2],
        customer_email=row[3],
        start=from_epoch(row[4]),
        end=from_epoch(row[5]),
        status=BookingStatus(row[6]),
        created=from_epoch(row[7]),
        phone=row[8],
        notes=row[9],
        cancelled=from_epoch(row[10]) if row[10] is not None else None,
    )
