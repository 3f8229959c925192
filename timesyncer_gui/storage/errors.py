"""Storage failures, each with a sentence that says what happened and what to do."""

from __future__ import annotations

from ..domain.errors import TimeSyncerError


class StorageError(TimeSyncerError):
    """The database could not do what was asked; nothing was changed."""


class DatabaseBusy(StorageError):
    """Another program held the database longer than the busy timeout."""


class DatabaseUnwritable(StorageError):
    """The database or its folder cannot be written (read-only folder, full disk, ...)."""


class DatabaseCorrupt(StorageError):
    """The file is not a TimeSyncer database, or it is damaged."""


class DatabaseTooNew(StorageError):
    """The file was written by a newer TimeSyncer whose schema this version does not know."""
