"""Email headers made quickly, with the standard library's own header objects.

Composing an email was mostly time spent in the email package's header machinery: its
registry builds a new class for every header it parses, and every header is refolded from
its parse tree each time a message is written. Here the classes are made once, and headers
that are the same in many emails are parsed and written out once. They are still the
standard header objects, which refuse a line break in any value.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.policy import Policy
from email.utils import format_datetime
from functools import lru_cache


class _HeaderClasses(HeaderRegistry):
    """The standard registry, remembering the header classes it makes."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}
        self._fixed: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made

    def fixed_class(self, name: str) -> type[BaseHeader]:
        """The class of ``name`` headers that are written out once (see ``fixed``)."""
        key = name.lower()
        made = self._fixed.get(key)
        if made is None:
            base = self[name]
            made = self._fixed[key] = type(f"_Fixed{base.__name__}", (_FoldedOnce, base), {})
        return made


class _FoldedOnce(BaseHeader):
    """A header written out once for each way of writing (line ends, line length)."""

    _folds: dict[tuple[str, int | None, bool], str]

    def fold(self, *, policy: Policy) -> str:
        key = (policy.linesep, policy.max_line_length, bool(getattr(policy, "utf8", False)))
        folded = self._folds.get(key)
        if folded is None:
            folded = self._folds[key] = super().fold(policy=policy)
        return folded


_HEADERS = _HeaderClasses()

# How a message is built, and how it is written for SMTP: CRLF line ends; raw UTF-8 headers
# (RFC 6532) only for an address outside ASCII, which then travels over SMTPUTF8.
MESSAGE_POLICY = policy.default.clone(header_factory=_HEADERS)
SMTP_POLICY = policy.SMTP.clone(header_factory=_HEADERS)
SMTPUTF8_POLICY = policy.SMTPUTF8.clone(header_factory=_HEADERS)


def needs_smtputf8(sender: str, recipient: str) -> bool:
    """An address outside ASCII travels only over SMTPUTF8, with raw UTF-8 headers."""
    return not (sender + recipient).isascii()


def fixed(name: str, value: str | Address) -> BaseHeader:
    """A header shared by many emails: parsed once and written out once. Header objects are
    immutable, so one object can stand in every message. Made without the check a message
    applies to a value it is given, so the same check is made here."""
    if isinstance(value, str) and len(value.splitlines()) > 1:
        raise ValueError(f"a {name} header cannot hold a line break: {value!r}")
    made = _HEADERS.fixed_class(name)(name, value)
    made._folds = {}  # type: ignore[attr-defined]
    return made


@lru_cache(maxsize=2)
def date_header(now: datetime) -> BaseHeader:
    """The Date of every email of one sending pass, which all carry the pass's time."""
    return fixed("Date", format_datetime(now))
