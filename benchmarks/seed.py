"""Makes large booking databases quickly for the benchmarks, through the real schema.

Bookings are spread over several resources and working days, as a busy desk would have them,
and inserted with one executemany in one transaction (the schema's triggers still check each).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from timesyncer_gui import BookingQuery, open_repository

RESOURCES = 8
SLOTS_PER_DAY = 16  # 09:00-17:00 in half hours
FIRST_NAMES = ("Amelia", "José", "Priya", "Kwame", "Hannah", "Li", "Noah", "Fatima", "Olga", "Sam")
LAST_NAMES = (
    "Watson",
    "García",
    "Natarajan",
    "Mensah",
    "Schmidt",
    "Wei",
    "Brown",
    "Khan",
    "Ivanova",
)


def seed_bookings(path: Path, count: int, first_day: date = date(2010, 1, 4)) -> int:
    """Fill ``path`` with ``count`` bookings from ``first_day`` on; returns how many."""
    with open_repository(f"sqlite:///{path}") as repo:  # type: ignore[attr-defined]
        for index in range(2, RESOURCES + 1):
            repo.add_resource(f"Room {index}")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc, end_utc,"
        " status, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        seed_rows(count, first_day),
    )
    conn.execute("COMMIT")
    conn.close()
    # Bookings made over years would have been indexed for search as they came in.
    with open_repository(f"sqlite:///{path}") as repo:  # type: ignore[attr-defined]
        repo.count_bookings(BookingQuery(search="index everything"))
    return count


def seed_rows(count: int, first_day: date = date(2010, 1, 4)) -> Iterator[tuple[object, ...]]:
    """(resource, name, email, start, end, status, created) of ``count`` bookings."""
    rng = random.Random(42)
    made = 0
    day = first_day
    while made < count:
        if day.weekday() < 5:
            midnight = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
            for slot in range(SLOTS_PER_DAY):
                for resource in range(1, RESOURCES + 1):
                    if made >= count:
                        return
                    start = midnight + 9 * 3600 + slot * 1800
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    yield (
                        resource,
                        f"{first} {last} {made}",
                        f"{first.lower()}.{made}@example.com",
                        start,
                        start + 1800,
                        "cancelled" if made % 17 == 0 else "booked",
                        start - 7 * 86400,
                    )
                    made += 1
        day += timedelta(days=1)
