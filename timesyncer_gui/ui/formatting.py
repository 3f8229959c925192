"""How instants read at the desk: always in the desk's own time zone."""

from __future__ import annotations

from datetime import datetime, tzinfo

# The three characters that make text markup. Not html.escape: importing the html package
# loads its table of entity names, 8 million instructions (about 3 ms) of start-up, and the
# day's tooltips are made for the first paint.
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def slot_label(start: datetime, end: datetime, tz: tzinfo) -> str:
    """``09:00–09:30`` on the desk's wall clock."""
    return f"{start.astimezone(tz):%H:%M}–{end.astimezone(tz):%H:%M}"


def when_label(start: datetime, end: datetime, tz: tzinfo) -> str:
    """``Mon 30 Nov 2026, 09:00–09:30`` for confirmations and dialogs."""
    return f"{start.astimezone(tz):%a %d %b %Y}, {slot_label(start, end, tz)}"


def moment(instant: datetime, tz: tzinfo) -> str:
    """``Mon 30 Nov 2026, 09:00``: a moment in words, as ``when_label`` writes a slot."""
    return f"{instant.astimezone(tz):%a %d %b %Y, %H:%M}"


def stamp(instant: datetime, tz: tzinfo) -> str:
    """``2026-11-30 09:00`` for table cells, sortable by eye."""
    return f"{instant.astimezone(tz):%Y-%m-%d %H:%M}"


def plain_tip(text: str) -> str:
    """``text`` as a tooltip that shows it as written. Qt takes a tooltip that looks like
    markup for rich text (a name written ``<b>Ann</b>`` turns bold, an address written
    ``<ann@example.org>`` vanishes); escaped inside a paragraph, it is shown as it is."""
    if not text:
        return ""
    return f'<p style="white-space:pre-wrap">{text.translate(_MARKUP)}</p>'


def brief(name: str, limit: int = 40) -> str:
    """A name cut to ``limit`` characters with "…", for sentences in the status bar, where
    a long one would push out the rest of what is said."""
    return name if len(name) <= limit else name[: limit - 1] + "…"
