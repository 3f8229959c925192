"""An email the desk owes a customer, as the outbox holds it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple


class MessageKind(StrEnum):
    CONFIRMATION = "confirmation"
    CANCELLATION = "cancellation"
    MOVE = "move"
    REMINDER = "reminder"


class MessageState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class OutboxMessage(NamedTuple):
    """What to send and where it stands; the booking's details are those at the time it was
    queued, so a confirmation says what was confirmed even if the booking moves later."""

    id: int
    booking_id: int
    kind: MessageKind
    recipient: str
    customer_name: str
    start: datetime
    end: datetime
    sequence: int
    token: str
    state: MessageState
    attempts: int
    next_attempt: datetime
    created: datetime
    resource_name: str = ""
    lead_minutes: int | None = None
    first_attempt: datetime | None = None
    sent: datetime | None = None
    last_error: str | None = None
