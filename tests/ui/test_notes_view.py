"""A booking's notes are all there to read: whole on one line, or scrolled to."""

from __future__ import annotations

import math

from PySide6.QtGui import QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from timesyncer_gui.ui.notes_view import NotesView


def in_a_panel(qtbot: QtBot, width: int) -> tuple[QWidget, NotesView]:
    """Notes in a column of the given width, as the booking's details hold them: the view
    takes the height it asks for."""
    panel = QWidget()
    column = QVBoxLayout(panel)
    column.setContentsMargins(0, 0, 0, 0)
    notes = NotesView()
    column.addWidget(notes)
    column.addStretch(1)
    qtbot.addWidget(panel)
    panel.resize(width, 200)
    panel.show()
    qtbot.waitExposed(panel)
    return panel, notes


def all_readable(notes: NotesView) -> bool:
    """The last line ends within the view, or the view scrolls to it."""
    last = notes.document().lastBlock()
    bottom = notes.blockBoundingGeometry(last).translated(notes.contentOffset()).bottom()
    bar = notes.verticalScrollBar()
    return bottom <= notes.viewport().height() or (bar.isVisible() and bar.maximum() > 0)


def test_a_note_a_fraction_of_a_pixel_too_long_for_one_line_is_all_there(qtbot: QtBot) -> None:
    """Whole pixels round such a note down to a width that fits: it wraps all the same."""
    probe = NotesView()
    exact = QFontMetricsF(probe.font())
    whole = QFontMetrics(probe.font())
    candidates = (" ".join(["Please call back before noon"] * n) for n in range(1, 4))
    found = [
        text
        for text in (t[:cut] for t in candidates for cut in range(8, len(t)))
        if whole.horizontalAdvance(text) == math.floor(exact.horizontalAdvance(text))
        and not exact.horizontalAdvance(text).is_integer()
    ]
    assert found, "no note here is a fraction of a pixel wider than its whole-pixel width"
    text = found[0]
    _panel, notes = in_a_panel(qtbot, whole.horizontalAdvance(text))
    notes.setText(text)
    qtbot.waitUntil(lambda: notes.height() > exact.lineSpacing() * 2)
    assert all_readable(notes)


def test_a_short_note_takes_one_line_without_a_scroll_bar(qtbot: QtBot) -> None:
    _panel, notes = in_a_panel(qtbot, 300)
    notes.setText("Prefers mornings")
    line = math.ceil(QFontMetricsF(notes.font()).lineSpacing())
    qtbot.waitUntil(lambda: notes.height() == line)
    assert all_readable(notes)
    assert not notes.verticalScrollBar().isVisible()


def test_notes_set_while_hidden_wrap_clear_of_the_scroll_bar(qtbot: QtBot) -> None:
    """The details panel is filled before it is shown: once shown with a scroll bar, no line
    runs on under the bar."""
    panel = QStackedWidget()
    panel.addWidget(QLabel("the booking form"))
    page = QWidget()
    notes = NotesView()
    QVBoxLayout(page).addWidget(notes)
    panel.addWidget(page)
    qtbot.addWidget(panel)
    panel.resize(160, 200)
    panel.show()
    qtbot.waitExposed(panel)
    notes.setText(
        "Allergic to latex; prefers morning slots; bring previous X-ray results and the "
        "referral letter from Dr. Okonkwo"
    )
    panel.setCurrentWidget(page)
    qtbot.waitUntil(notes.verticalScrollBar().isVisible)
    layout = notes.document().firstBlock().layout()
    widths = [layout.lineAt(i).naturalTextWidth() for i in range(layout.lineCount())]
    assert len(widths) > 4
    assert max(widths) <= notes.viewport().width()
