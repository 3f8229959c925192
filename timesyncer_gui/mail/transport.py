"""One SMTP connection per sending pass, and what each failure means for the message.

TLS is never given up for plaintext: a server that does not offer STARTTLS, or whose
certificate does not check out, stops sending until the settings are fixed.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import threading
from dataclasses import dataclass
from enum import Enum

from .config import MailSettings
from .headers import needs_smtputf8


class Verdict(Enum):
    RETRY = "retry"  # the server or the network may do better later
    FAILED = "failed"  # this message will never go: the server refused it for good
    PAUSE = "pause"  # nothing can go until a person fixes the settings


@dataclass(frozen=True)
class SendError(Exception):
    """Why sending did not work, and what to do about it."""

    verdict: Verdict
    reason: str

    def __str__(self) -> str:
        return self.reason


class SmtpTransport:
    """Opens a connection to the configured server, sends, and can be aborted from any thread
    (closing the socket makes a call blocked on a silent server return at once)."""

    def __init__(self, settings: MailSettings, ssl_context: ssl.SSLContext | None = None) -> None:
        self._settings = settings
        self._context = ssl_context  # made on first use: loading the CA store costs ~25 ms
        self._smtp: smtplib.SMTP | None = None
        self._lock = threading.Lock()
        self._aborted = threading.Event()

    def __enter__(self) -> SmtpTransport:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        s = self._settings
        try:
            # Made unconnected first, so abort() can reach the socket while the greeting is
            # still awaited from a server that accepted the connection and went silent.
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(timeout=s.timeout, context=self._tls())
            else:
                smtp = smtplib.SMTP(timeout=s.timeout)
            # What the constructor sets when it connects itself; TLS checks the name against it.
            smtp._host = s.host  # type: ignore[attr-defined]
            with self._lock:
                self._smtp = smtp
            if self._aborted.is_set():
                raise SendError(Verdict.RETRY, "sending was stopped")
            smtp.connect(s.host, s.port)
            if s.security == "starttls":
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise SendError(
                        Verdict.PAUSE,
                        f"{s.host} does not offer STARTTLS, and mail is never sent unencrypted; "
                        "set SMTP_SECURITY to ssl if the server expects TLS from the start",
                    )
                smtp.starttls(context=self._tls())
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password)
        except SendError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise classify(exc, s) from exc

    def _tls(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def send(self, data: bytes, sender: str, recipient: str) -> None:
        """Sends one rendered email (``compose.render``) to one recipient, the envelope
        given, not parsed back out of the headers."""
        smtp = self._smtp
        if smtp is None:
            raise SendError(Verdict.RETRY, "not connected")
        options: list[str] = []
        if needs_smtputf8(sender, recipient):
            try:
                smtp.ehlo_or_helo_if_needed()  # what the server supports is known after EHLO
            except Exception as exc:
                raise classify(exc, self._settings) from exc
            if not smtp.has_extn("smtputf8"):
                raise SendError(
                    Verdict.FAILED,
                    f"the mail server cannot deliver to {recipient}: an address with "
                    "non-ASCII characters needs a server that supports SMTPUTF8",
                )
            options = ["SMTPUTF8", "BODY=8BITMIME"]
        try:
            refused = smtp.sendmail(sender, [recipient], data, options)
        except Exception as exc:
            raise classify(exc, self._settings) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise SendError(
                Verdict.FAILED, f"the server refused the recipient: {code} {_text(text)}"
            )

    def close(self) -> None:
        with self._lock:
            smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except Exception:  # the connection is going away anyway
            smtp.close()

    def abort(self) -> None:
        """From another thread: end the connection now, even mid-call."""
        self._aborted.set()
        with self._lock:
            smtp = self._smtp
        sock = getattr(smtp, "sock", None) if smtp is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def classify(exc: BaseException, settings: MailSettings) -> SendError:
    """What an exception from smtplib, ssl or the network means for the message."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(
            Verdict.PAUSE,
            f"{where} refused the login for {settings.user} ({exc.smtp_code} "
            f"{_text(exc.smtp_error)}); check EMAIL_USER and EMAIL_PASS",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendError(Verdict.PAUSE, f"{where} does not support what was asked: {exc}")
    if isinstance(exc, ssl.SSLCertVerificationError | ssl.CertificateError):
        return SendError(
            Verdict.PAUSE,
            f"the certificate of {where} could not be verified ({exc}); mail is never sent "
            "without a verified certificate",
        )
    if isinstance(exc, ssl.SSLError):
        return SendError(Verdict.RETRY, f"the TLS connection to {where} failed: {exc}")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        verdict = Verdict.FAILED if code >= 500 else Verdict.RETRY
        return SendError(verdict, f"the server refused the recipient: {code} {_text(text)}")
    if isinstance(exc, smtplib.SMTPResponseException):
        verdict = Verdict.FAILED if exc.smtp_code >= 500 else Verdict.RETRY
        return SendError(verdict, f"the server answered {exc.smtp_code} {_text(exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if "timed out" in str(exc):  # smtplib turns a read time-out into a disconnect
            return SendError(Verdict.RETRY, f"{where} did not answer within {settings.timeout:g} s")
        return SendError(Verdict.RETRY, f"{where} closed the connection")
    if isinstance(exc, TimeoutError | socket.timeout):
        return SendError(Verdict.RETRY, f"{where} did not answer within {settings.timeout:g} s")
    if isinstance(exc, ConnectionRefusedError):
        return SendError(Verdict.RETRY, f"{where} refused the connection")
    if isinstance(exc, OSError):
        return SendError(Verdict.RETRY, f"could not reach {where}: {exc.strerror or exc}")
    return SendError(Verdict.RETRY, f"sending failed: {exc}")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
