"""A real SMTP server on loopback (aiosmtpd), with real TLS from a test CA (trustme)."""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from timesyncer_gui import open_repository
from timesyncer_gui.domain.clock import FixedClock
from timesyncer_gui.mail.config import MailSettings
from timesyncer_gui.mail.transport import SmtpTransport
from timesyncer_gui.storage import Repository

USER, PASSWORD = "desk@clinic.example", "correct horse"


def free_port() -> int:
    """aiosmtpd's Controller cannot bind port 0 itself; pick a free port first."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    """What the server received, and how it should answer the next messages."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)  # answered in order, then 250
    rcpt_reply: str | None = None
    logins: list[str] = field(default_factory=list)
    delay: float = 0.0  # seconds before answering each message, to catch a sender mid-batch

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_replies:
            return self.data_replies.pop(0)
        self.envelopes.append(envelope)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted"


@dataclass
class Server:
    mailbox: Mailbox
    port: int
    settings: MailSettings
    client_context: ssl.SSLContext
    controller: Controller | None = None

    def transport(self, settings: MailSettings) -> SmtpTransport:
        return SmtpTransport(settings, ssl_context=self.client_context)

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def _authenticate(mailbox: Mailbox) -> Callable[..., AuthResult]:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword):
            mailbox.logins.append(data.login.decode())
            ok = data.login.decode() == USER and data.password.decode() == PASSWORD
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    return check


@pytest.fixture
def start_server(ca: trustme.CA, client_context: ssl.SSLContext) -> Iterator[Callable[..., Server]]:
    """Starts an SMTP server: ``security`` none, starttls or ssl; ``login`` to require AUTH;
    ``smtputf8`` to accept addresses outside ASCII."""
    servers: list[Server] = []

    def start(
        security: str = "none",
        login: bool = False,
        offer_starttls: bool = True,
        port: int | None = None,
        timeout: float = 5.0,
        smtputf8: bool = False,
    ) -> Server:
        mailbox = Mailbox()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(server_context)
        port = port or free_port()
        kwargs: dict[str, Any] = {}
        if security == "starttls" and offer_starttls:
            kwargs.update(tls_context=server_context, require_starttls=True)
        if login:
            kwargs.update(
                authenticator=_authenticate(mailbox),
                auth_required=True,
                # Over implicit TLS aiosmtpd cannot tell the channel is encrypted; it is.
                auth_require_tls=security == "starttls",
            )
        controller = Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            ssl_context=server_context if security == "ssl" else None,
            server_hostname="localhost",
            enable_SMTPUTF8=smtputf8,
            **kwargs,
        )
        controller.start()
        settings = MailSettings(
            host="localhost",
            port=port,
            security=security,
            user=USER if login else "",
            password=PASSWORD if login else "",
            sender=USER,
            timeout=timeout,
        )
        server = Server(mailbox, port, settings, client_context, controller)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


class SilentServer:
    """Accepts connections and never says a word: a mail server that hangs."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self._closing = threading.Event()
        self.port = int(self.sock.getsockname()[1])
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, name="silent-smtp", daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted.append(conn)

    def close(self) -> None:
        self._closing.set()
        self._thread.join(timeout=5)
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


# Monday 23 March 2026, noon: a week before the sessions the tests book.
NOW = datetime(2026, 3, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def mail_repo(tmp_path: Path, clock: FixedClock) -> Iterator[Repository]:
    repo = open_repository(f"sqlite:///{tmp_path / 'desk.db'}", clock=clock)
    yield repo
    repo.close()
