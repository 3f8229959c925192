"""The emails a customer receives: plain text, an escaped HTML alternative, and a calendar
invitation (.ics) whose UID stays the same for the booking's whole life.

Built with email.message.EmailMessage: names and addresses go into headers through its
header objects, which refuse line breaks, so nothing a customer typed can add a header.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from datetime import datetime, timedelta, tzinfo
from email.headerregistry import Address, BaseHeader
from email.message import EmailMessage
from functools import lru_cache

from ..domain.outbox import MessageKind, OutboxMessage
from .config import MailSettings
from .headers import (
    MESSAGE_POLICY,
    SMTP_POLICY,
    SMTPUTF8_POLICY,
    date_header,
    fixed,
    needs_smtputf8,
)

PRODUCT = "-//TimeSyncer//Front desk//EN"
_FROM_LINE = re.compile(r"^From ", re.MULTILINE)


# Boundaries begin with "=_", which neither quoted-printable nor base64 ever writes, so no
# body can contain one, and neither is the start of the other.
_MIME_VERSION = fixed("MIME-Version", "1.0")
_MIXED = fixed("Content-Type", 'multipart/mixed; boundary="=_TimeSyncer_mixed"')
_ALTERNATIVE = fixed("Content-Type", 'multipart/alternative; boundary="=_TimeSyncer_alt"')
_PLAIN = fixed("Content-Type", 'text/plain; charset="utf-8"')
_HTML = fixed("Content-Type", 'text/html; charset="utf-8"')
_QUOTED_PRINTABLE = fixed("Content-Transfer-Encoding", "quoted-printable")
_BASE64 = fixed("Content-Transfer-Encoding", "base64")
_INVITATION = {
    method: fixed("Content-Type", f'text/calendar; charset="utf-8"; method="{method}"')
    for method in ("REQUEST", "CANCEL")
}
_ATTACHED_ICS = fixed("Content-Disposition", 'attachment; filename="booking.ics"')


def compose(
    message: OutboxMessage, settings: MailSettings, tz: tzinfo, now: datetime, desk_name: str = ""
) -> EmailMessage:
    """The email for one outbox message, in the desk's time zone: multipart/mixed holding a
    multipart/alternative (text, HTML) and the invitation."""
    domain = settings.sender.rpartition("@")[2] or "timesyncer.invalid"
    when = describe_time(message.start, message.end, tz)
    subject, opening = _wording(message, tz, now)
    email = EmailMessage(MESSAGE_POLICY)
    email["Subject"] = subject
    email["From"] = _sender_header(desk_name or "TimeSyncer", settings.sender)
    email["To"] = _address(message.customer_name, message.recipient)
    email["Date"] = date_header(now)
    email["Message-ID"] = f"<{message.token}@{domain}>"
    email["MIME-Version"] = _MIME_VERSION
    email["Content-Type"] = _MIXED
    lines = [
        f"Dear {message.customer_name},",
        "",
        opening,
        "",
        f"When:    {when}",
        f"Where:   {message.resource_name or 'the front desk'}",
        f"Booking: #{message.booking_id}",
        "",
        _how_to_change(message),
        "",
        desk_name or "TimeSyncer",
        "",
    ]
    alternative = EmailMessage(MESSAGE_POLICY)
    alternative["Content-Type"] = _ALTERNATIVE
    alternative.attach(_text_part(_PLAIN, "\n".join(lines)))
    alternative.attach(_text_part(_HTML, _html(message, opening, when, desk_name)))
    email.attach(alternative)
    method = "CANCEL" if message.kind is MessageKind.CANCELLATION else "REQUEST"
    ics = invitation(message, settings, now, domain).encode("utf-8")
    attachment = EmailMessage(MESSAGE_POLICY)
    attachment["Content-Type"] = _INVITATION[method]
    attachment["Content-Transfer-Encoding"] = _BASE64
    attachment["Content-Disposition"] = _ATTACHED_ICS
    attachment.set_payload(base64.encodebytes(ics).decode("ascii"))
    email.attach(attachment)
    return email


def render(
    message: OutboxMessage, settings: MailSettings, tz: tzinfo, now: datetime, desk_name: str = ""
) -> bytes:
    """The email as it goes over SMTP: CRLF line ends, and raw UTF-8 headers when an address
    is outside ASCII (it then travels over SMTPUTF8)."""
    email = compose(message, settings, tz, now, desk_name)
    utf8 = needs_smtputf8(settings.sender, message.recipient)
    return email.as_bytes(policy=SMTPUTF8_POLICY if utf8 else SMTP_POLICY)


def _text_part(content_type: BaseHeader, text: str) -> EmailMessage:
    """A UTF-8 text part in quoted-printable, which keeps every line short whatever a name
    holds. Its headers are made once for all emails, where ``set_content`` would parse and
    rewrite the Content-Type three times over in each."""
    part = EmailMessage(MESSAGE_POLICY)
    part["Content-Type"] = content_type
    part["Content-Transfer-Encoding"] = _QUOTED_PRINTABLE
    encoded = binascii.b2a_qp(text.encode("utf-8"), istext=True).decode("ascii")
    # A line beginning "From " is rewritten ">From " by mailboxes in mbox format.
    part.set_payload(_FROM_LINE.sub("=46rom ", encoded))
    return part


@lru_cache(maxsize=8)
def _sender_header(name: str, address: str) -> BaseHeader:
    """The desk's own From header, the same in every email."""
    return fixed("From", _address(name, address))


def _address(name: str, address: str) -> Address:
    """The header value for ``name <address>``. Given in parts, not as ``addr_spec``: Address
    refuses a local part outside ASCII, which email-validator accepts and SMTPUTF8 carries.
    Address itself refuses a line break in any part."""
    username, _, domain = address.rpartition("@")
    return Address(name, username=username, domain=domain)


def describe_time(start: datetime, end: datetime, tz: tzinfo) -> str:
    """``Monday 30 November 2026, 09:00–09:30 GMT (UTC+00:00, Europe/London)``."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    offset = local_start.strftime("%z")
    return (
        f"{local_start:%A %d %B %Y}, {local_start:%H:%M}–{local_end:%H:%M} "
        f"{local_start.tzname()} (UTC{offset[:3]}:{offset[3:]}, {tz})"
    )


def invitation(message: OutboxMessage, settings: MailSettings, now: datetime, domain: str) -> str:
    """The .ics text: METHOD REQUEST, or CANCEL for a cancellation; SEQUENCE rises on a move."""
    from icalendar import Calendar, Event, vCalAddress  # only when an email is built

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    cancelled = message.kind is MessageKind.CANCELLATION
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"booking-{message.booking_id}@{domain}")
    event.add("sequence", message.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", message.start)
    event.add("dtend", message.end)
    event.add("summary", f"Booking at {message.resource_name or 'the front desk'}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.sender}")
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{message.recipient}")
    attendee.params["cn"] = message.customer_name
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _wording(message: OutboxMessage, tz: tzinfo, now: datetime) -> tuple[str, str]:
    local = message.start.astimezone(tz)
    short = f"{local:%a %d %b}, {local:%H:%M}"
    if message.kind is MessageKind.CONFIRMATION:
        return f"Booking confirmed: {short}", "Your booking is confirmed."
    if message.kind is MessageKind.MOVE:
        # Said for a new time and for a new place alike (another room or chair): the details
        # below give both.
        return (
            f"Booking moved: {short}",
            "Your booking has changed. Here is when and where it is now.",
        )
    if message.kind is MessageKind.CANCELLATION:
        return f"Booking cancelled: {short}", "Your booking has been cancelled."
    # Said from the time of sending: a reminder caught up after downtime must not claim
    # "24 hours" when the session is an hour away.
    left = _time_left(message.start - now)
    return f"Reminder: {short}", f"A reminder: your session starts in {left}."


def _time_left(delta: timedelta) -> str:
    minutes = max(1, round(delta.total_seconds() / 60))
    if minutes < 120:
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours = round(minutes / 60)
    if hours < 48:
        return f"{hours} hours"
    return f"{round(hours / 24)} days"


def _how_to_change(message: OutboxMessage) -> str:
    if message.kind is MessageKind.CANCELLATION:
        return "If this is a mistake, reply to this email or call the desk to book again."
    return (
        f"To cancel or change it, reply to this email or call the desk, quoting booking "
        f"#{message.booking_id}."
    )


def _html(message: OutboxMessage, opening: str, when: str, desk_name: str) -> str:
    e = html.escape
    where = message.resource_name or "the front desk"
    return (
        "<!DOCTYPE html><html><body>"
        f"<p>Dear {e(message.customer_name)},</p>"
        f"<p>{e(opening)}</p>"
        "<table>"
        f"<tr><th align='left'>When</th><td>{e(when)}</td></tr>"
        f"<tr><th align='left'>Where</th><td>{e(where)}</td></tr>"
        f"<tr><th align='left'>Booking</th><td>#{message.booking_id}</td></tr>"
        "</table>"
        f"<p>{e(_how_to_change(message))}</p>"
        f"<p>{e(desk_name or 'TimeSyncer')}</p>"
        "</body></html>\n"
    )
