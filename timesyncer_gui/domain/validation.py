"""Checks on what a receptionist types, each failing with a sentence they understand.

Names and emails later reach email headers, so control characters are refused here, at the
door, rather than escaped somewhere downstream.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from .errors import ValidationError

NAME_MAX = 120
PHONE_MAX = 40
NOTES_MAX = 2000
_PHONE_CHARS = set("0123456789 +-()./x#")
_EXTENSION = r"\b(?:ext|extension)\b\.?"  # "ext. 999", as written beside "x999"


class Customer(NamedTuple):
    """A customer's details after validation: trimmed and normalised."""

    name: str
    email: str
    phone: str = ""
    notes: str = ""


def validate_customer(name: str, email: str, phone: str = "", notes: str = "") -> Customer:
    """All of a customer's fields checked; the first problem found is raised."""
    return Customer(
        name=validate_name(name),
        email=validate_email(email),
        phone=validate_phone(phone),
        notes=validate_notes(notes),
    )


def validate_name(raw: str) -> str:
    """A trimmed name of 1 to 120 characters in any script, with no control characters."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise ValidationError("name", "Please enter the customer's name.")
    if any(_is_control(ch) for ch in name):
        raise ValidationError(
            "name", "The name cannot contain line breaks, tabs or other control characters."
        )
    if len(name) > NAME_MAX:
        raise ValidationError(
            "name",
            f"The name is too long: at most {NAME_MAX} characters (this one has {len(name)}).",
        )
    return name


def validate_email(raw: str) -> str:
    """The address in normalised form; syntax only, no DNS look-up (the desk may be offline)."""
    # Imported here: email_validator compiles its patterns at import, which start-up can skip.
    from email_validator import EmailNotValidError
    from email_validator import validate_email as _check

    text = (raw or "").strip()
    if not text:
        raise ValidationError("email", "Please enter the customer's email address.")
    if any(_is_control(ch) for ch in text):
        raise ValidationError("email", "The email address cannot contain control characters.")
    try:
        checked = _check(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError("email", f"That email address is not valid. {exc}") from None
    return checked.normalized


def validate_phone(raw: str) -> str:
    """An optional phone number: digits and the usual separators, at most 40 characters."""
    phone = (raw or "").strip()
    if len(phone) > PHONE_MAX:
        raise ValidationError(
            "phone", f"The phone number is too long: at most {PHONE_MAX} characters."
        )
    if phone and not any(ch.isdigit() for ch in phone):
        raise ValidationError("phone", "A phone number needs its digits.")
    if any(ch not in _PHONE_CHARS for ch in re.sub(_EXTENSION, "", phone, flags=re.IGNORECASE)):
        raise ValidationError(
            "phone",
            "The phone number may contain only digits, spaces, + - ( ) . / # and an extension"
            ' written "x 12" or "ext. 12".',
        )
    return phone


def validate_notes(raw: str) -> str:
    """Optional free text; line breaks allowed, other control characters not."""
    notes = (raw or "").strip()
    if len(notes) > NOTES_MAX:
        raise ValidationError("notes", f"The notes are too long: at most {NOTES_MAX} characters.")
    if any(_is_control(ch) and ch not in "\n\t" for ch in notes.replace("\r\n", "\n")):
        raise ValidationError("notes", "The notes cannot contain control characters.")
    return notes.replace("\r\n", "\n")


def _is_control(ch: str) -> bool:
    # Cc covers CR, LF, TAB, NUL and the C1 set; Zl/Zp are the Unicode line and paragraph
    # separators, which some mail software treats as line breaks.
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp")
