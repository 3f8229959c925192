"""The SQLite repository: one connection per instance, one transaction per call.

A booking is a single ``BEGIN IMMEDIATE`` transaction holding the write lock across the
overlap check and the insert, so two desks (threads or processes) can never both win a slot.
Triggers in the schema refuse an overlap even from a writer that skips this code.

The first paint needs only the day's bookings and counts. The outbox's code, the validation
of what was typed and the Admin list (``sqlite_listing``) are loaded by the calls that use
them, about 6 ms of start-up.
"""

from __future__ import annotations

import itertools
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..domain.clock import Clock, SystemClock
from ..domain.errors import BookingNotFound, SlotUnavailable, ValidationError
from ..domain.models import (
    Booking,
    BookingRequest,
    BookingStatus,
    Resource,
    from_epoch,
    to_epoch,
)
from .connection import connect, translate
from .sqlite_rows import (
    COLUMNS,
    CONFLICT,
    MAX_BOOKING_SECONDS,
    booking_from_row,
    start_index,
)

if TYPE_CHECKING:
    from .contract import BookingQuery
    from .sqlite_listing import BookingList
    from .sqlite_outbox import SQLiteOutbox

log = logging.getLogger(__name__)


def _queue_email(
    cur: sqlite3.Cursor,
    booking_id: int,
    kind: Literal["confirmation", "cancellation", "move"],
    now: int,
    *,
    reminders_go: bool = False,
) -> None:
    """Queue the customer's email about a change, inside the change's transaction; a moved or
    cancelled booking's unsent reminders go. The outbox's code loads with the first change."""
    from ..domain.outbox import MessageKind
    from .sqlite_outbox import drop_unsent_reminders, enqueue

    if reminders_go:
        drop_unsent_reminders(cur, booking_id)
    enqueue(cur, booking_id, MessageKind(kind), now)


class SQLiteRepository:
    """Bookings in one SQLite file (WAL, synchronous=FULL or NORMAL when not ``durable``,
    foreign keys, busy timeout)."""

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 5.0,
        clock: Clock | None = None,
        durable: bool = True,
    ) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout
        self._clock = clock or SystemClock()
        self._conn = connect(self.path, busy_timeout=busy_timeout, durable=durable)

    @cached_property
    def outbox(self) -> SQLiteOutbox:
        """The emails owed to customers, kept in this database."""
        from .sqlite_outbox import SQLiteOutbox

        return SQLiteOutbox(self._write, self._all)

    @cached_property
    def _list(self) -> BookingList:
        """The Admin list's pages and counts (see sqlite_listing), made on its first use."""
        from .sqlite_listing import BookingList

        return BookingList(
            self._conn, self.path, self._busy_timeout, self._write, self._all, self._one
        )

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SQLiteRepository:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SQLiteRepository({str(self.path)!r})"

    # -- writes ----------------------------------------------------------------------------

    def book(self, request: BookingRequest) -> Booking:
        from ..domain.validation import validate_customer

        customer = validate_customer(
            request.customer_name, request.customer_email, request.phone, request.notes
        )
        start, end = to_epoch(request.start), to_epoch(request.end)
        if end <= start:
            raise ValidationError("start", "A booking must end after it starts.")
        if end - start > MAX_BOOKING_SECONDS:
            raise ValidationError("start", "A booking can last at most 24 hours.")
        created = self._now()
        with self._write() as cur:
            self._refuse_overlap(cur, request.resource_id, start, end)
            try:
                cur.execute(
                    "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
                    " end_utc, status, created_utc, phone, notes)"
                    " VALUES (?, ?, ?, ?, ?, 'booked', ?, ?, ?)",
                    (
                        request.resource_id,
                        customer.name,
                        customer.email,
                        start,
                        end,
                        created,
                        customer.phone,
                        customer.notes,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                if "FOREIGN KEY" in str(exc):
                    raise ValidationError(
                        "resource", f"There is no resource #{request.resource_id}."
                    ) from None
                # Only reachable if the schema's guard saw a conflict the check above did not.
                self._refuse_overlap(cur, request.resource_id, start, end)
                raise
            booking_id = int(cur.lastrowid or 0)
            _queue_email(cur, booking_id, "confirmation", created)
        booking = Booking(
            booking_id,
            request.resource_id,
            customer.name,
            customer.email,
            from_epoch(start),
            from_epoch(end),
            BookingStatus.BOOKED,
            from_epoch(created),
            customer.phone,
            customer.notes,
        )
        log.info(
            "booked #%d on resource %d at %s",
            booking.id,
            booking.resource_id,
            booking.start.isoformat(),
        )
        return booking

    def cancel(self, booking_id: int) -> Booking:
        with self._write() as cur:
            row = self._locked_row(cur, booking_id)
            if row[6] == BookingStatus.BOOKED:
                cur.execute(
                    "UPDATE bookings SET status = 'cancelled', cancelled_utc = ? WHERE id = ?",
                    (self._now(), booking_id),
                )
                # While no email about the booking can have reached the customer (a booking
                # made in error while the mail server was down), none is sent, and no
                # cancellation either: they never heard of it. Otherwise a cancellation follows.
                # News they cannot have had is not sent, and the cancellation names the time
                # they know; news that may have reached them goes first (claims keep a
                # booking's order). Failed news is not retried after it.
                from .sqlite_outbox import (
                    date_as_heard,
                    retire_failed_news,
                    withdraw_if_unheard,
                    withdraw_unheard_news,
                )

                why = "the booking was cancelled before this was sent"
                if not withdraw_if_unheard(cur, booking_id, why):
                    withdraw_unheard_news(cur, booking_id, why)
                    retire_failed_news(cur, booking_id, why)
                    _queue_email(cur, booking_id, "cancellation", self._now(), reminders_go=True)
                    date_as_heard(cur, booking_id, "cancellation")
                row = self._locked_row(cur, booking_id)
                log.info("cancelled #%d", booking_id)
        return booking_from_row(row)

    def restore(self, booking_id: int) -> Booking:
        with self._write() as cur:
            row = self._locked_row(cur, booking_id)
            if row[6] == BookingStatus.CANCELLED:
                self._refuse_overlap(cur, row[1], row[4], row[5], own_id=booking_id)
                cur.execute(
                    "UPDATE bookings SET status = 'booked', cancelled_utc = NULL,"
                    " sequence = sequence + 1 WHERE id = ?",
                    (booking_id,),
                )
                # A cancellation never tried is simply not sent: the customer still holds the
                # confirmation. One that may have reached them is answered by a new one.
                # (Unless the address was corrected meanwhile: the new one holds nothing.)
                from ..domain.outbox import MessageKind
                from .sqlite_outbox import told_at_current_address, withdraw_untried

                why = "the cancel was undone before this was sent"
                withdrawn = withdraw_untried(cur, booking_id, MessageKind.CANCELLATION, why)
                if not withdrawn or not told_at_current_address(cur, booking_id):
                    _queue_email(cur, booking_id, "confirmation", self._now())
                row = self._locked_row(cur, booking_id)
                log.info("restored #%d", booking_id)
        return booking_from_row(row)

    def move(
        self, booking_id: int, start: datetime, end: datetime, resource_id: int | None = None
    ) -> Booking:
        new_start, new_end = to_epoch(start), to_epoch(end)
        if new_end <= new_start or new_end - new_start > MAX_BOOKING_SECONDS:
            raise ValidationError("start", "A booking must end after it starts, within 24 hours.")
        with self._write() as cur:
            row = self._locked_row(cur, booking_id)
            if row[6] != BookingStatus.BOOKED:
                raise ValidationError(
                    "start", "A cancelled booking cannot be moved; restore it first."
                )
            target = row[1] if resource_id is None else resource_id
            self._refuse_overlap(cur, target, new_start, new_end, own_id=booking_id)
            cur.execute(
                "UPDATE bookings SET start_utc = ?, end_utc = ?, resource_id = ?,"
                " sequence = sequence + 1 WHERE id = ?",
                (new_start, new_end, target, booking_id),
            )
            # Earlier news not yet sent gives way to this; a customer who never heard of the
            # booking is confirmed at its new time rather than told of a move.
            from .sqlite_outbox import never_heard, supersede_news

            kind: Literal["confirmation", "move"] = (
                "confirmation" if never_heard(cur, booking_id) else "move"
            )
            supersede_news(cur, booking_id, "the booking was moved before this was sent")
            _queue_email(cur, booking_id, kind, self._now(), reminders_go=True)
            row = self._locked_row(cur, booking_id)
        log.info("moved #%d to resource %d at %s", booking_id, target, start.isoformat())
        return booking_from_row(row)

    def update_customer(
        self, booking_id: int, name: str, email: str, phone: str = "", notes: str = ""
    ) -> Booking:
        from ..domain.validation import validate_customer
        from .sqlite_outbox import drop_unsent_reminders, latest_waiting_news, supersede_news

        customer = validate_customer(name, email, phone, notes)
        with self._write() as cur:
            before = self._locked_row(cur, booking_id)
            cur.execute(
                "UPDATE bookings SET customer_name = ?, customer_email = ?, phone = ?, notes = ?"
                " WHERE id = ?",
                (customer.name, customer.email, customer.phone, customer.notes, booking_id),
            )
            booked = before[6] == BookingStatus.BOOKED
            why = "the customer's details were corrected before this was sent"
            if booked and customer.email.casefold() != str(before[3]).casefold():
                # The new address has heard nothing: it gets the confirmation, and the emails
                # still waiting for the old one (reminders included) go to it instead.
                supersede_news(cur, booking_id, why)
                drop_unsent_reminders(cur, booking_id)
                _queue_email(cur, booking_id, "confirmation", self._now())
            elif booked and customer.name != before[2]:
                # News still waiting would greet the customer by the old name: sent afresh;
                # reminders still owed are queued again, with the new name, by the next pass.
                waiting = latest_waiting_news(cur, booking_id)
                if waiting is not None:
                    supersede_news(cur, booking_id, why)
                    _queue_email(cur, booking_id, waiting, self._now())
                drop_unsent_reminders(cur, booking_id)
            row = self._locked_row(cur, booking_id)
        log.info("corrected the customer's details of #%d", booking_id)
        return booking_from_row(row)

    def add_resource(self, name: str) -> Resource:
        clean = name.strip()
        if not clean or len(clean) > 80:
            raise ValidationError("resource", "A resource needs a name of 1 to 80 characters.")
        with self._write() as cur:
            if cur.execute("SELECT 1 FROM resources WHERE name = ?", (clean,)).fetchone():
                raise ValidationError("resource", f"There is already a resource named {clean!r}.")
            cur.execute("INSERT INTO resources (name) VALUES (?)", (clean,))
            return Resource(int(cur.lastrowid or 0), clean)

    # -- reads -----------------------------------------------------------------------------

    def get(self, booking_id: int) -> Booking:
        row = self._one(f"SELECT {COLUMNS} FROM bookings WHERE id = ?", (booking_id,))
        if row is None:
            raise BookingNotFound(booking_id)
        return booking_from_row(row)

    def bookings_between(
        self,
        start: datetime,
        end: datetime,
        resource_id: int | None = None,
        include_cancelled: bool = False,
    ) -> list[Booking]:
        # No booking is longer than a day, so bounding the start from below keeps the scan to
        # the window instead of every earlier booking.
        lo, hi = to_epoch(start), to_epoch(end)
        index = start_index(resource_id, include_cancelled)
        sql = (
            f"SELECT {COLUMNS} FROM bookings INDEXED BY {index}"
            " WHERE start_utc < ? AND start_utc >= ? AND end_utc > ?"
        )
        params: list[Any] = [hi, lo - MAX_BOOKING_SECONDS, lo]
        if resource_id is not None:
            sql += " AND resource_id = ?"
            params.append(resource_id)
        if not include_cancelled:
            sql += " AND status = 'booked'"
        sql += " ORDER BY start_utc, id"
        return [booking_from_row(r) for r in self._all(sql, params)]

    def counts_between(
        self, boundaries: Sequence[datetime], resource_id: int | None = None
    ) -> list[int]:
        edges = [to_epoch(b) for b in boundaries]
        if len(edges) < 2:
            return []
        values = ", ".join("(?, ?, ?)" for _ in edges[:-1])
        params: list[Any] = []
        for index, (lo, hi) in enumerate(itertools.pairwise(edges)):
            params.extend((index, lo, hi))
        where = "status = 'booked' AND start_utc >= w.lo AND start_utc < w.hi"
        if resource_id is not None:
            where += " AND resource_id = ?"
            params.append(resource_id)
        index = start_index(resource_id, include_cancelled=False)
        sql = (
            f"WITH w(i, lo, hi) AS (VALUES {values}) SELECT w.i,"
            f" (SELECT count(*) FROM bookings INDEXED BY {index} WHERE {where}) FROM w ORDER BY w.i"
        )
        return [count for _, count in self._all(sql, params)]

    def list_bookings(self, query: BookingQuery) -> list[Booking]:
        return self._list.page(query)

    def count_bookings(self, query: BookingQuery, limit: int | None = None) -> int:
        return self._list.count(query, limit)

    def resources(self) -> list[Resource]:
        return [
            Resource(int(i), str(n))
            for i, n in self._all("SELECT id, name FROM resources ORDER BY id", ())
        ]

    def change_counter(self) -> int:
        row = self._one("PRAGMA data_version", ())
        return int(row[0]) if row else 0

    # -- plumbing --------------------------------------------------------------------------

    def _now(self) -> int:
        """Whole seconds now, from the repository's clock (a test's fixed one, or the real)."""
        return to_epoch(self._clock.now())

    def _locked_row(self, cur: sqlite3.Cursor, booking_id: int) -> tuple[Any, ...]:
        row = cur.execute(f"SELECT {COLUMNS} FROM bookings WHERE id = ?", (booking_id,)).fetchone()
        if row is None:
            raise BookingNotFound(booking_id)
        return tuple(row)

    def _refuse_overlap(
        self, cur: sqlite3.Cursor, resource_id: int, start: int, end: int, own_id: int = -1
    ) -> None:
        row = cur.execute(CONFLICT, (resource_id, end, own_id)).fetchone()
        if row is not None and row[5] > start:
            log.info(
                "refused resource %d at %s: overlaps #%d",
                resource_id,
                from_epoch(start).isoformat(),
                row[0],
            )
            raise SlotUnavailable(from_epoch(row[4]), from_epoch(row[5]), int(row[0]))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        """One immediate transaction: the write lock is taken before the first read."""
        cur = self._conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, self.path, self._busy_timeout) from exc
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.rollback()
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, self.path, self._busy_timeout) from exc
            raise
        finally:
            cur.close()

    def _all(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path, self._busy_timeout) from exc

    def _one(self, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
        try:
            return self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path, self._busy_timeout) from exc
