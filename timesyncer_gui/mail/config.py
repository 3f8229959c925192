"""Mail settings, read with the rest of the settings and checked the same way.

The original web version's names (EMAIL_USER, EMAIL_PASS) still work: with only those two
set, mail goes through Gmail on port 587 with STARTTLS, as it did there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import NamedTuple

SECURITY_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_LEADS = "24h,1h"
_LEAD = re.compile(r"^(\d{1,4})\s*([mhd])$")

Lookup = Callable[[str], tuple[str | None, str]]
# complain(key, value, expected, source, message=...) builds the error to raise.
Complain = Callable[..., Exception]


class MailSettings(NamedTuple):
    """Where and how to send; ``configured`` is False when no server is set at all."""

    host: str = ""
    port: int = 0
    security: str = "starttls"
    user: str = ""
    password: str = ""  # never in repr(), see below
    sender: str = ""
    timeout: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)

    def describe(self) -> str:
        """Where mail goes, for the log and the status bar; never the password."""
        if not self.configured:
            return "no mail server set"
        login = f" as {self.user}" if self.user else ""
        return f"{self.host}:{self.port} ({self.security}){login}"

    def __repr__(self) -> str:
        return f"MailSettings({self.describe()}, from {self.sender or '-'})"


def read_mail_settings(get: Lookup, complain: Complain) -> MailSettings:
    """MailSettings from the settings' lookup; ``complain(key, value, expected, source)``
    builds the error raised for a bad value."""
    user, user_source = get("EMAIL_USER")
    password, password_source = get("EMAIL_PASS")
    host, host_source = get("SMTP_HOST")
    if host is None and user and password:
        host = "smtp.gmail.com"
    security, source = get("SMTP_SECURITY")
    security = (security or "starttls").lower()
    if security not in SECURITY_MODES:
        raise complain("SMTP_SECURITY", security, "starttls, ssl or none", source)
    port_text, source = get("SMTP_PORT")
    port = DEFAULT_PORTS[security]
    if port_text is not None:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise complain("SMTP_PORT", port_text, "a port number from 1 to 65535", source)
        port = int(port_text)
    timeout_text, source = get("SMTP_TIMEOUT")
    timeout = 20.0
    if timeout_text is not None:
        try:
            timeout = float(timeout_text)
        except ValueError:
            timeout = -1.0
        if not 1 <= timeout <= 300:
            raise complain(
                "SMTP_TIMEOUT", timeout_text, "a number of seconds from 1 to 300", source
            )
    sender, source = get("SMTP_FROM")
    sender = sender or user or ""
    if sender and "@" not in sender:
        raise complain("SMTP_FROM", sender, "an email address such as desk@example.com", source)
    if bool(user) != bool(password):
        missing, given, where = (
            ("EMAIL_PASS", "EMAIL_USER", user_source)
            if user
            else ("EMAIL_USER", "EMAIL_PASS", password_source)
        )
        raise complain(
            missing,
            "",
            "set too",
            "",
            message=f"{missing} is not set, but {given} is{_in(where)}: a login needs both "
            "EMAIL_USER and EMAIL_PASS. Set the other one, or remove both.",
        )
    if host and not sender:
        # Without a sender address nothing could be sent: said now, not found out when
        # customers never hear back.
        raise complain(
            "SMTP_FROM",
            "",
            "set too",
            "",
            message=f"SMTP_FROM is not set, but SMTP_HOST is{_in(host_source)}: emails need "
            "a sender address. Set SMTP_FROM to the address customers see, such as "
            "desk@example.com (or EMAIL_USER, when the server needs a login).",
        )
    return MailSettings(host or "", port, security, user or "", password or "", sender, timeout)


def _in(source: str) -> str:
    return f" (in {source})" if source else ""


def read_reminder_leads(get: Lookup, complain: Complain) -> tuple[timedelta, ...]:
    """``24h,1h`` as lengths of time before a session, longest first; ``none`` for no
    reminders at all."""
    text, source = get("TIMESYNCER_REMINDER_LEADS")
    if text is not None and text.strip().lower() == "none":
        return ()
    leads: list[timedelta] = []
    for part in (text or DEFAULT_LEADS).split(","):
        match = _LEAD.match(part.strip().lower())
        if not match or int(match.group(1)) == 0:
            raise complain(
                "TIMESYNCER_REMINDER_LEADS",
                text or "",
                "lengths of time before a session such as 24h,1h (m, h and d accepted, more "
                "than zero), or none for no reminders",
                source,
            )
        amount, unit = int(match.group(1)), match.group(2)
        leads.append(timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: amount}))
    return tuple(sorted(set(leads), reverse=True))
