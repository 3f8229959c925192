"""The outbox in SQLite: queued in the booking's own transaction, claimed by one sender.

Claiming moves a message to ``sending`` under the write lock, so two desks on one database
never send the same message; a message left in ``sending`` by a crash is queued again once
it is clearly abandoned, and may then go out twice with the same Message-ID (at least once).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Literal

from ..domain.models import from_epoch, to_epoch
from ..domain.outbox import MessageKind, MessageState, OutboxMessage

log = logging.getLogger(__name__)

_COLUMNS = (
    "o.id, o.booking_id, o.kind, o.recipient, o.customer_name, o.start_utc, o.end_utc,"
    " o.sequence, o.token, o.state, o.attempts, o.next_attempt_utc, o.created_utc,"
    " coalesce(r.name, ''), o.lead_minutes, o.first_attempt_utc, o.sent_utc, o.last_error"
)
_FROM = (
    "FROM outbox AS o JOIN bookings AS b ON b.id = o.booking_id"
    " LEFT JOIN resources AS r ON r.id = b.resource_id"
)
SKIP_LOOKBACK = timedelta(days=7)
# A message the customer cannot have had: never claimed, or every try stopped short of a mail
# server. One being sent now, or tried over an open connection, may have reached them.
_UNHEARD = "state NOT IN ('sending', 'sent') AND attempts = unreached"
# Sent, or to be sent, to the booking's address as it is now (the booking's id is its
# parameter): the emails of an address since corrected are not this one's.
_TO_PRESENT_ADDRESS = (
    "recipient = (SELECT customer_email FROM bookings WHERE id = ?) COLLATE NOCASE"
)
# A try's outcome is written only while the message is still being sent: one a slow sender
# was thought to have abandoned may since have been queued again, or set aside by a change.
_STILL_OURS = "state = 'sending'"

Writer = Callable[[], AbstractContextManager[sqlite3.Cursor]]
Reader = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]


def enqueue(cur: sqlite3.Cursor, booking_id: int, kind: MessageKind, now: int) -> None:
    """Queue ``kind`` for a booking inside the caller's transaction, from its stored row."""
    cur.execute(
        "INSERT INTO outbox (booking_id, kind, recipient, customer_name, start_utc, end_utc,"
        " sequence, token, next_attempt_utc, created_utc)"
        " SELECT id, ?, customer_email, customer_name, start_utc, end_utc, sequence, ?, ?, ?"
        " FROM bookings WHERE id = ?",
        (str(kind), os.urandom(16).hex(), now, now, booking_id),
    )
    log.info("queued %s for booking #%d", kind, booking_id)


def drop_unsent_reminders(cur: sqlite3.Cursor, booking_id: int) -> None:
    """A moved or cancelled booking's queued reminders are for a time that no longer holds."""
    cur.execute(
        "DELETE FROM outbox WHERE booking_id = ? AND kind = 'reminder' AND state = 'queued'",
        (booking_id,),
    )


def withdraw_untried(cur: sqlite3.Cursor, booking_id: int, kind: MessageKind, why: str) -> bool:
    """Take back the booking's latest ``kind`` message if the customer cannot have had it. True
    if taken back. One that may have reached them (tried over an open connection: a time-out
    after the data may still have delivered it) is marked skipped too, so nothing sends it
    later, but counts as possibly received."""
    row = cur.execute(
        f"SELECT id, state, {_UNHEARD} FROM outbox WHERE booking_id = ? AND kind = ?"
        " ORDER BY id DESC LIMIT 1",
        (booking_id, str(kind)),
    ).fetchone()
    if row is None:
        return False
    message_id, state, unheard = row
    if state in ("queued", "failed"):
        cur.execute(
            "UPDATE outbox SET state = 'skipped', last_error = ? WHERE id = ?", (why, message_id)
        )
    return bool(state == "queued" and unheard)


def never_heard(cur: sqlite3.Cursor, booking_id: int) -> bool:
    """True while the booking's confirmation waits and nothing about the booking can have
    reached the customer. A booking with no confirmation at all (made before the desk sent
    emails, or by a script) is not one the customer never heard of."""
    # What went to an address since corrected was heard by someone else, if anyone.
    heard = cur.execute(
        f"SELECT 1 FROM outbox WHERE booking_id = ? AND {_TO_PRESENT_ADDRESS}"
        f" AND NOT ({_UNHEARD}) LIMIT 1",
        (booking_id, booking_id),
    ).fetchone()
    waiting = cur.execute(
        f"SELECT 1 FROM outbox WHERE booking_id = ? AND {_TO_PRESENT_ADDRESS}"
        f" AND kind = 'confirmation' AND state IN ('queued', 'failed') AND {_UNHEARD} LIMIT 1",
        (booking_id, booking_id),
    ).fetchone()
    return heard is None and waiting is not None


def told_at_current_address(cur: sqlite3.Cursor, booking_id: int) -> bool:
    """True if a confirmation or move notice went, or waits to go, to the booking's present
    address: after a corrected address, the old one's emails do not count."""
    row = cur.execute(
        "SELECT 1 FROM outbox WHERE booking_id = ? AND kind IN ('confirmation', 'move')"
        f" AND state IN ('queued', 'sending', 'sent') AND {_TO_PRESENT_ADDRESS} LIMIT 1",
        (booking_id, booking_id),
    ).fetchone()
    return row is not None


def withdraw_if_unheard(cur: sqlite3.Cursor, booking_id: int, why: str) -> bool:
    """Take back every email about the booking if the customer never heard of it (see
    ``never_heard``). True if so: nothing about it will be sent."""
    if not never_heard(cur, booking_id):
        return False
    # Reminders go rather than being marked skipped: one kept would stand in the way of the
    # same reminder if the cancel is undone.
    drop_unsent_reminders(cur, booking_id)
    cur.execute(
        "UPDATE outbox SET state = 'skipped', last_error = ?"
        " WHERE booking_id = ? AND state IN ('queued', 'failed')",
        (why, booking_id),
    )
    return True


def supersede_news(cur: sqlite3.Cursor, booking_id: int, why: str) -> None:
    """A confirmation or move notice still waiting to go (a first try, or a retry), or one
    that failed, is about a time that no longer holds: it is not sent, nor offered to Retry
    now, and the notice of the new time that follows tells the customer how things stand."""
    cur.execute(
        "UPDATE outbox SET state = 'skipped', last_error = ?"
        " WHERE booking_id = ? AND kind IN ('confirmation', 'move')"
        " AND state IN ('queued', 'failed')",
        (why, booking_id),
    )


def withdraw_unheard_news(cur: sqlite3.Cursor, booking_id: int, why: str) -> None:
    """Before a cancellation: a confirmation or move notice the customer cannot have had is
    not sent. One that may have reached them goes first, as claims keep a booking's order."""
    cur.execute(
        "UPDATE outbox SET state = 'skipped', last_error = ?"
        f" WHERE booking_id = ? AND kind IN ('confirmation', 'move') AND state = 'queued'"
        f" AND {_UNHEARD}",
        (why, booking_id),
    )


def date_as_heard(cur: sqlite3.Cursor, booking_id: int, kind: str) -> None:
    """The booking's newest ``kind`` message names the time the customer last heard of (a
    move they were never told of is not news to cancel): that of the newest confirmation or
    move notice that may have reached its present address, if any."""
    # Unqualified columns inside the subqueries are the heard message's (the inner table).
    heard = (
        "FROM outbox AS h WHERE h.booking_id = outbox.booking_id"
        f" AND h.kind IN ('confirmation', 'move') AND NOT ({_UNHEARD})"
        " AND h.recipient = outbox.recipient COLLATE NOCASE"
    )
    cur.execute(
        f"UPDATE outbox SET (start_utc, end_utc) = (SELECT h.start_utc, h.end_utc {heard}"
        " ORDER BY h.id DESC LIMIT 1)"
        " WHERE id = (SELECT max(id) FROM outbox WHERE booking_id = ? AND kind = ?)"
        f" AND EXISTS (SELECT 1 {heard})",
        (booking_id, kind),
    )


def retire_failed_news(cur: sqlite3.Cursor, booking_id: int, why: str) -> None:
    """A cancelled booking's failed confirmation or move notice is not to be retried: sent
    after the cancellation, it would confirm what no longer stands."""
    cur.execute(
        "UPDATE outbox SET state = 'skipped', last_error = ?"
        " WHERE booking_id = ? AND kind IN ('confirmation', 'move') AND state = 'failed'",
        (why, booking_id),
    )


def latest_waiting_news(
    cur: sqlite3.Cursor, booking_id: int
) -> Literal["confirmation", "move"] | None:
    """The kind of the booking's newest confirmation or move notice still waiting to go."""
    row = cur.execute(
        "SELECT kind FROM outbox WHERE booking_id = ? AND kind IN ('confirmation', 'move')"
        " AND state = 'queued' ORDER BY id DESC LIMIT 1",
        (booking_id,),
    ).fetchone()
    return None if row is None else row[0]  # type: ignore[no-any-return]


class SQLiteOutbox:
    """The outbox of one repository connection; every method is one transaction."""

    def __init__(self, write: Writer, read: Reader) -> None:
        self._write = write
        self._read = read

    def create_due_reminders(
        self, now: datetime, leads: Sequence[timedelta], since: datetime | None = None
    ) -> int:
        """Queue each reminder whose time has come; record as skipped those missed while no
        desk was running for sessions that have already started. Returns how many queued.

        ``since`` is the previous pass of the same sender: sessions that started before it
        were looked at then, so only those since are looked at for skipping (without it, the
        last week's are), which keeps each pass to a few index probes."""
        at = to_epoch(now)
        look_back = at - int(SKIP_LOOKBACK.total_seconds())
        if since is not None:
            look_back = max(look_back, to_epoch(since))
        queued = 0
        with self._write() as cur:
            for lead in leads:
                seconds = int(lead.total_seconds())
                minutes = seconds // 60
                cur.execute(
                    "INSERT OR IGNORE INTO outbox (booking_id, kind, lead_minutes, recipient,"
                    " customer_name, start_utc, end_utc, sequence, token, next_attempt_utc,"
                    " created_utc)"
                    " SELECT id, 'reminder', ?, customer_email, customer_name, start_utc, end_utc,"
                    " sequence, lower(hex(randomblob(16))), ?, ?"
                    " FROM bookings INDEXED BY bookings_active_start"
                    " WHERE status = 'booked' AND start_utc > ? AND start_utc <= ?"
                    " AND created_utc <= start_utc - ?",
                    (minutes, at, at, at, at + seconds, seconds),
                )
                queued += cur.rowcount
                cur.execute(
                    "INSERT OR IGNORE INTO outbox (booking_id, kind, lead_minutes, recipient,"
                    " customer_name, start_utc, end_utc, sequence, token, state,"
                    " next_attempt_utc, created_utc, last_error)"
                    " SELECT id, 'reminder', ?, customer_email, customer_name, start_utc, end_utc,"
                    " sequence, lower(hex(randomblob(16))), 'skipped', ?, ?,"
                    " 'missed while no desk was running; the session had started'"
                    " FROM bookings INDEXED BY bookings_active_start"
                    " WHERE status = 'booked' AND start_utc > ? AND start_utc <= ?"
                    " AND created_utc <= start_utc - ?",
                    (minutes, at, at, look_back, at, seconds),
                )
        if queued:
            log.info("queued %d reminder(s)", queued)
        return queued

    def claim_due(self, now: datetime, limit: int = 50) -> list[OutboxMessage]:
        """Take up to ``limit`` due messages for sending; nobody else will send them."""
        at = to_epoch(now)
        with self._write() as cur:
            # News of a booking goes out in the order it happened: a cancellation waits while
            # the confirmation or move before it is still to be sent (being retried, say).
            rows = cur.execute(
                f"SELECT {_COLUMNS}, b.status {_FROM}"
                " WHERE o.state = 'queued' AND o.next_attempt_utc <= ?"
                " AND (o.kind = 'reminder' OR NOT EXISTS (SELECT 1 FROM outbox AS p"
                " WHERE p.booking_id = o.booking_id AND p.id < o.id AND p.kind <> 'reminder'"
                " AND p.state IN ('queued', 'sending')))"
                " ORDER BY o.next_attempt_utc, o.id LIMIT ?",
                (at, limit),
            ).fetchall()
            claimed = []
            for row in rows:
                if row[2] == MessageKind.REMINDER and row[-1] != "booked":
                    cur.execute(
                        "UPDATE outbox SET state = 'skipped', last_error = ? WHERE id = ?",
                        ("the booking was cancelled", row[0]),
                    )
                    continue
                cur.execute(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1,"
                    " claimed_utc = ?, first_attempt_utc = coalesce(first_attempt_utc, ?)"
                    " WHERE id = ?",
                    (at, at, row[0]),
                )
                claimed.append(row[:-1])
        if claimed:
            log.info("claimed %d message(s) for sending", len(claimed))
        return [_message(r, extra_attempt=True) for r in claimed]

    def mark_sent(self, message_id: int, now: datetime) -> None:
        self._set(message_id, "state = 'sent', sent_utc = ?, last_error = NULL", to_epoch(now))

    def mark_retry(
        self, message_id: int, error: str, next_attempt: datetime, reached: bool = True
    ) -> None:
        """Try again at ``next_attempt``; ``reached`` False when this try never got as far
        as a mail server, so it cannot have delivered the message."""
        self._set(
            message_id,
            "state = 'queued', last_error = ?, next_attempt_utc = ?, unreached = unreached + ?",
            error,
            to_epoch(next_attempt),
            0 if reached else 1,
            only_if=_STILL_OURS,
        )

    def mark_failed(self, message_id: int, error: str, reached: bool = True) -> None:
        self._set(
            message_id,
            "state = 'failed', last_error = ?, unreached = unreached + ?",
            error,
            0 if reached else 1,
            only_if=_STILL_OURS,
        )

    def release(self, message_ids: Sequence[int], error: str) -> None:
        """Put claimed messages back untouched (sending is paused); the try is not counted."""
        with self._write() as cur:
            cur.executemany(
                "UPDATE outbox SET state = 'queued', attempts = max(attempts - 1, 0),"
                " last_error = ? WHERE id = ? AND state = 'sending'",
                [(error, i) for i in message_ids],
            )

    def requeue_abandoned(self, now: datetime, older_than: timedelta) -> int:
        """Messages a crashed sender left in ``sending`` go back in the queue."""
        cutoff = to_epoch(now - older_than)
        with self._write() as cur:
            cur.execute(
                "UPDATE outbox SET state = 'queued', last_error = ?"
                " WHERE state = 'sending' AND claimed_utc < ?",
                ("the sender stopped while sending; sending again", cutoff),
            )
            count = cur.rowcount
        if count:
            log.warning("%d message(s) were left mid-send and are queued again", count)
        return count

    def retry_now(self, message_id: int, now: datetime) -> None:
        """A failed message is tried again at once, with a fresh day of retries; one waiting
        for its next try (the server was down, and is back) is tried at once, its day of
        retries running on."""
        self._set(
            message_id,
            # attempts - unreached, the tries that may have delivered it, is kept.
            "state = 'queued', next_attempt_utc = ?, first_attempt_utc = NULL, attempts = 0,"
            " unreached = unreached - attempts",
            to_epoch(now),
            only_if="state = 'failed'",
        )
        self._set(
            message_id,
            "next_attempt_utc = min(next_attempt_utc, ?)",
            to_epoch(now),
            only_if="state = 'queued' AND attempts > 0",
        )

    def waiting(self) -> int:
        """Messages queued or being sent."""
        rows = self._read("SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')", ())
        return int(rows[0][0])

    def failed_ahead(self, now: datetime) -> int:
        """Failed messages about sessions still to come: customers not told while it matters.
        Once a session has passed, its failure no longer calls for anyone."""
        rows = self._read(
            "SELECT count(*) FROM outbox WHERE state = 'failed' AND start_utc > ?",
            (to_epoch(now),),
        )
        return int(rows[0][0])

    def page(self, offset: int = 0, limit: int = 200) -> list[OutboxMessage]:
        """The newest messages first, for the outbox view."""
        rows = self._read(
            f"SELECT {_COLUMNS} {_FROM} ORDER BY o.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_message(r) for r in rows]

    def count(self) -> int:
        return int(self._read("SELECT count(*) FROM outbox", ())[0][0])

    def for_booking(self, booking_id: int) -> list[OutboxMessage]:
        rows = self._read(
            f"SELECT {_COLUMNS} {_FROM} WHERE o.booking_id = ? ORDER BY o.id", (booking_id,)
        )
        return [_message(r) for r in rows]

    def _set(self, message_id: int, assignments: str, *values: Any, only_if: str = "1") -> None:
        with self._write() as cur:
            cur.execute(
                f"UPDATE outbox SET {assignments} WHERE id = ? AND {only_if}",
                (*values, message_id),
            )


def _message(row: Sequence[Any], extra_attempt: bool = False) -> OutboxMessage:
    return OutboxMessage(
        id=int(row[0]),
        booking_id=int(row[1]),
        kind=MessageKind(row[2]),
        recipient=row[3],
        customer_name=row[4],
        start=from_epoch(row[5]),
        end=from_epoch(row[6]),
        sequence=int(row[7]),
        token=row[8],
        state=MessageState.SENDING if extra_attempt else MessageState(row[9]),
        attempts=int(row[10]) + (1 if extra_attempt else 0),
        next_attempt=from_epoch(row[11]),
        created=from_epoch(row[12]),
        resource_name=row[13],
        lead_minutes=row[14],
        first_attempt=from_epoch(row[15]) if row[15] is not None else None,
        sent=from_epoch(row[16]) if row[16] is not None else None,
        last_error=row[17],
    )
