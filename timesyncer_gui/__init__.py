"""TimeSyncer: a desktop booking desk that never double-books.

The names here are the public surface scripts and tests rely on; they import no Qt.
"""

from __future__ import annotations

from .domain.errors import BookingNotFound, SlotUnavailable, TimeSyncerError, ValidationError
from .domain.models import Booking, BookingRequest, BookingStatus, Resource
from .storage import BookingQuery, StorageError, open_repository

__version__ = "0.1.0"

__all__ = [
    "Booking",
    "BookingNotFound",
    "BookingQuery",
    "BookingRequest",
    "BookingStatus",
    "Resource",
    "SlotUnavailable",
    "StorageError",
    "TimeSyncerError",
    "ValidationError",
    "__version__",
    "open_repository",
]
