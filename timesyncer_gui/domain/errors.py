"""Errors a person can read: each carries a sentence meant for the front desk."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


class TimeSyncerError(Exception):
    """Base of every error the app shows to a person; ``message`` is that sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(TimeSyncerError, ValueError):
    """A value typed at the desk is not acceptable; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SlotUnavailable(TimeSyncerError):
    """The time asked for overlaps a booking already made on the same resource."""

    def __init__(
        self,
        start: datetime,
        end: datetime,
        booking_id: int | None = None,
        tz: tzinfo | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.booking_id = booking_id
        super().__init__(self.describe(tz or start.tzinfo))

    def describe(self, tz: tzinfo | None) -> str:
        """The refusal in the desk's own time zone, as the receptionist reads it; a script that
        names no zone reads UTC, and is told so."""
        tz = tz or UTC
        start, end = self.start.astimezone(tz), self.end.astimezone(tz)
        zone = " UTC" if tz is UTC else ""
        return (
            "That time is already taken: another booking runs from "
            f"{start:%a %d %b %Y %H:%M} to {end:%H:%M}{zone}. Pick another slot."
        )


class BookingNotFound(TimeSyncerError, LookupError):
    """No booking has the id asked for."""

    def __init__(self, booking_id: int) -> None:
        super().__init__(f"Booking #{booking_id} does not exist.")
        self.booking_id = booking_id
