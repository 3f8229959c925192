"""How instants read at the desk: always in the desk's own time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo


def slot_label(start: datetime, end: datetime, tz: tzinfo) -> str:
    """``09:00–09:30`` on the desk's wall clock."""
    return f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M}"


def when_label(start: datetime, end: datetime, tz: tzinfo) -> str:
    """``Mon 30 Nov 2026, 09:00–09:30`` for confirmations and dialogs."""
    return f"{start.astimezone(tz):%a %d %b %Y}, {slot_label(start, end, tz)}"


def stamp(instant: datetime, tz: tzinfo) -> str:
    """``2026-11-30 09:00`` for table cells, sortable by eye."""
    return f"{instant.astimezone(tz):%Y-%m-%d %H:%M}"
