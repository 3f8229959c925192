"""TimeSyncer: a desktop booking desk that never double-books.

The names here are the public surface scripts and tests rely on; they import no Qt. Each is
imported when first asked for (PEP 562), so ``python -m timesyncer_gui`` can set up the
interpreter (see ``__main__``) before any of the app is loaded.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain.errors import BookingNotFound, SlotUnavailable, TimeSyncerError, ValidationError
    from .domain.models import Booking, BookingRequest, BookingStatus, Resource
    from .storage import BookingQuery, StorageError, open_repository

__version__ = "0.1.0"

_HOMES = {
    "BookingNotFound": ".domain.errors",
    "SlotUnavailable": ".domain.errors",
    "TimeSyncerError": ".domain.errors",
    "ValidationError": ".domain.errors",
    "Booking": ".domain.models",
    "BookingRequest": ".domain.models",
    "BookingStatus": ".domain.models",
    "Resource": ".domain.models",
    "BookingQuery": ".storage",
    "StorageError": ".storage",
    "open_repository": ".storage",
}

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


if not TYPE_CHECKING:  # a type checker sees the imports above, and reports a misspelt name

    def __getattr__(name: str) -> object:
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(import_module(home, __name__), name)
        globals()[name] = value  # asked once
        return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
