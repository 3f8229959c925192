"""The window with its mail notifier running against a real SMTP server on loopback."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from timesyncer_gui.settings import Settings
from timesyncer_gui.ui.main_window import MainWindow
from timesyncer_gui.ui.outbox_page import OutboxPage

from ..mail.conftest import Server, SilentServer
from .conftest import DESK_ENV
from .helpers import click_slot, shown_tip
from .test_admin_tips import hover

MakeWindow = Callable[..., MainWindow]


def mail_settings(tmp_path: Path, port: int, timeout: str = "5") -> Settings:
    env = {
        **DESK_ENV,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(port),
        "SMTP_SECURITY": "none",
        "SMTP_FROM": "desk@clinic.example",
        "SMTP_TIMEOUT": timeout,
    }
    return Settings.load(data_dir=tmp_path / "desk", environ=env, cwd=tmp_path)


def book_ten(qtbot: QtBot, window: MainWindow) -> None:
    """At the fixture's 08:00 no reminder of a 10:00 session is due yet: one email only."""
    page = window.desk_page
    click_slot(qtbot, page.day_view, "10:00–10:30")
    page.form.name_edit.setText("Amelia Watson")
    page.form.email_edit.setText("amelia@example.org")
    qtbot.mouseClick(page.form.book_button, Qt.MouseButton.LeftButton)


def refused_in_mail_tab(
    qtbot: QtBot,
    make_window: MakeWindow,
    server: Server,
    tmp_path: Path,
    reply: str,
    shown: tuple[str, str] = ("Failed", "1"),
) -> OutboxPage:
    """A booking's confirmation refused by the server with ``reply``, its row shown in the
    Mail tab with the ``shown`` state and number of tries."""
    server.mailbox.rcpt_reply = reply
    window = make_window(settings=mail_settings(tmp_path, server.port), mail_tick_ms=100)
    window.start_mail()
    book_ten(qtbot, window)
    window.tabs.setCurrentWidget(window.mail_tab)
    page = window.outbox_page
    qtbot.waitUntil(
        lambda: (
            page.model.rowCount() == 1
            and (page.model.index(0, 4).data(), page.model.index(0, 5).data()) == shown
        ),
        timeout=5000,
    )
    return page


def test_a_booking_made_at_the_desk_is_confirmed_by_email_at_once(
    qtbot: QtBot, make_window: MakeWindow, start_server: object, tmp_path: Path
) -> None:
    server = start_server()  # type: ignore[operator]
    window = make_window(settings=mail_settings(tmp_path, server.port), mail_tick_ms=60_000)
    window.start_mail()
    qtbot.waitUntil(lambda: window.mail_status.text() == "All emails sent", timeout=5000)
    book_ten(qtbot, window)
    # The tick is a minute away: the booking itself wakes the notifier.
    qtbot.waitUntil(lambda: len(server.mailbox.messages) == 1, timeout=5000)
    assert server.mailbox.messages[0]["Subject"] == "Booking confirmed: Mon 30 Nov, 10:00"
    qtbot.waitUntil(lambda: window.mail_status.text() == "All emails sent", timeout=5000)
    click_slot(qtbot, window.desk_page.day_view, "10:00–10:30")
    qtbot.waitUntil(
        lambda: window.desk_page.details.fields["Emails"].text().startswith("Confirmation sent"),
        timeout=5000,
    )
    state = window.outbox_page.mail_state  # the Mail tab agrees, in plain text: all is well
    assert (state.text(), state.property("kind")) == ("All emails sent", "plain")


def test_with_no_mail_server_emails_wait_and_the_status_bar_says_so(
    qtbot: QtBot, make_window: MakeWindow
) -> None:
    window = make_window(mail_tick_ms=100)
    window.start_mail()
    book_ten(qtbot, window)
    qtbot.waitUntil(
        lambda: window.mail_status.text() == "No mail server is set; emails wait in the outbox.",
        timeout=5000,
    )
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.outbox_page
    assert page.model.rowCount() == 1
    row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert row[1:6] == ["Confirmation", "amelia@example.org", "#1", "Queued", "0"]
    # The Mail tab says why its emails wait, where the person is looking, as a problem.
    qtbot.waitUntil(page.mail_state.isVisible)  # the page is shown once the loop turns
    assert page.mail_state.text() == "No mail server is set; emails wait in the outbox."
    assert page.mail_state.property("kind") == "error"
    titles = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)]
    assert titles == ["Queued", "Message"]  # which email it is: "To" says whose
    # The Mail tab's rows are as tall as the Admin tab's: one look for both tables.
    window.admin_page.ensure_model()
    assert page.table.rowHeight(0) == window.admin_page.table.verticalHeader().defaultSectionSize()


def test_a_failed_email_can_be_retried_from_the_mail_tab(
    qtbot: QtBot, make_window: MakeWindow, start_server: object, tmp_path: Path
) -> None:
    server = start_server()  # type: ignore[operator]
    page = refused_in_mail_tab(qtbot, make_window, server, tmp_path, "550 5.1.1 No such mailbox")
    assert "550 5.1.1 No such mailbox" in page.model.index(0, 7).data()
    status = page.window().mail_status  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: status.text() == "1 email failed: see the Mail tab", timeout=5000)
    page.table.selectRow(0)
    assert page.retry_button.isEnabled()
    server.mailbox.rcpt_reply = None  # the customer's mailbox exists again
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(server.mailbox.messages) == 1, timeout=5000)
    qtbot.waitUntil(lambda: page.model.index(0, 4).data() == "Sent", timeout=5000)
    qtbot.waitUntil(lambda: status.text() == "All emails sent", timeout=5000)


def test_an_email_waiting_for_its_next_try_can_be_retried_at_once(
    qtbot: QtBot, make_window: MakeWindow, start_server: object, tmp_path: Path
) -> None:
    """The server answered "try later"; once it is back, nobody waits for the next try."""
    server = start_server()  # type: ignore[operator]
    page = refused_in_mail_tab(
        qtbot, make_window, server, tmp_path, "451 4.3.0 Try again later", ("Queued", "1")
    )
    page.table.selectRow(0)
    assert page.retry_button.isEnabled()
    server.mailbox.rcpt_reply = None
    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(server.mailbox.messages) == 1, timeout=5000)
    qtbot.waitUntil(lambda: page.model.index(0, 4).data() == "Sent", timeout=5000)
    assert page.model.index(0, 5).data() == "2"  # the first try still counts


def test_a_server_error_quoting_an_address_is_shown_as_written_in_its_tooltip(
    qtbot: QtBot, make_window: MakeWindow, start_server: object, tmp_path: Path
) -> None:
    """The server's words are its own: a reply holding something Qt reads as a tag would be
    rendered as markup, and the address in angle brackets, the part the desk needs, would
    vanish from the tooltip."""
    server = start_server()  # type: ignore[operator]
    reply = "550 5.1.1 <em>Unknown</em> user <amelia@example.org>: No such mailbox"
    page = refused_in_mail_tab(qtbot, make_window, server, tmp_path, reply)
    error = page.model.index(0, 7).data()
    assert reply in error
    assert shown_tip(hover(qtbot, page.table, page.model.index(0, 7))) == error
    assert shown_tip(hover(qtbot, page.table, page.model.index(0, 2))) == "amelia@example.org"
    QToolTip.hideText()


def test_a_server_that_hangs_never_stalls_the_window_and_closing_takes_under_5_s(
    qtbot: QtBot, make_window: MakeWindow, silent_server: SilentServer, tmp_path: Path
) -> None:
    window = make_window(
        settings=mail_settings(tmp_path, silent_server.port, timeout="60"), mail_tick_ms=100
    )
    book_ten(qtbot, window)
    gaps: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    probe = QTimer()
    probe.setInterval(10)

    def beat() -> None:
        gaps.append(clock.restart())

    probe.timeout.connect(beat)
    probe.start()
    window.start_mail()
    qtbot.waitUntil(lambda: len(silent_server.accepted) >= 1, timeout=5000)
    # The notifier is now stuck waiting for a greeting that never comes; the GUI is not, and
    # the status bar says mail is under way rather than nothing at all.
    qtbot.waitUntil(lambda: window.mail_status.text() == "Sending 1 email via 127.0.0.1…")
    qtbot.wait(1500)
    page = window.desk_page
    click_slot(qtbot, page.day_view, "11:00–11:30")  # the window still answers
    assert page.form.when.text() == "Mon 30 Nov 2026, 11:00–11:30"
    probe.stop()
    assert len(gaps) > 50
    assert max(gaps[1:]) < 50, f"the GUI thread stalled {max(gaps[1:])} ms"

    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 5
    assert not window.notifier.is_running()  # type: ignore[union-attr]


def test_the_mail_tab_says_why_emails_wait_when_the_server_refuses(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    from ..mail.conftest import free_port

    window = make_window(settings=mail_settings(tmp_path, free_port()), mail_tick_ms=100)
    window.start_mail()
    book_ten(qtbot, window)
    qtbot.waitUntil(
        lambda: window.mail_status.text().startswith("Mail server unreachable since"),
        timeout=5000,
    )
    window.tabs.setCurrentWidget(window.mail_tab)
    state = window.outbox_page.mail_state
    qtbot.waitUntil(state.isVisible)
    assert state.text().startswith(window.mail_status.text())  # since when, and how many
    assert state.text().endswith("refused the connection)")  # and why
    assert state.property("kind") == "error"
