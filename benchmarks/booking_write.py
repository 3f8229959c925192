"""What a durable booking costs, next to the bare SQLite write beneath it, in one run.

1. The latency of ``repository.book()`` (each call its own committed, fsynced transaction)
   against a raw sqlite3 ``BEGIN IMMEDIATE; INSERT; COMMIT`` loop into a table of the same
   shape, with the same pragmas (WAL, synchronous=FULL, foreign keys, busy timeout), on the
   same disk. The two alternate in rounds so the machine's noise hits both alike.
2. The same book() into a file already holding 100,000 bookings: the overlap check reads one
   index entry, so the cost should not grow with the table.
3. Eight processes booking into one file at once, over the same slots (most are refused)
   and over distinct slots: attempts and successes per second, and any other error.

    python benchmarks/booking_write.py [--n 400] [--procs 8] [--dir DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import seed_bookings

from timesyncer_gui import BookingRequest, SlotUnavailable, open_repository

BASE = datetime(2040, 1, 2, 9, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
RAW_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookings (
    id INTEGER PRIMARY KEY, resource_id INTEGER NOT NULL, customer_name TEXT NOT NULL,
    customer_email TEXT NOT NULL, start_utc INTEGER NOT NULL, end_utc INTEGER NOT NULL,
    status TEXT NOT NULL, created_utc INTEGER NOT NULL
)
"""


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(RAW_SCHEMA)
    return conn


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure_latency(folder: Path, n: int, seeded: int) -> tuple[list[float], list[float]]:
    """Microseconds per durable write: book() and the raw loop, alternating in rounds."""
    repo_path = folder / f"repo-{seeded}.db"
    if seeded:
        seed_bookings(repo_path, seeded)
    repo = open_repository(f"sqlite:///{repo_path}")
    raw = raw_connection(folder / f"raw-{seeded}.db")
    book_us: list[float] = []
    raw_us: list[float] = []
    slot = 0
    for _ in range(n // 20 + 2):  # the first round of each is a warm-up
        round_book, round_raw = [], []
        for _ in range(20):
            start = BASE + slot * HALF_HOUR
            slot += 1
            begin = time.perf_counter_ns()
            repo.book(BookingRequest("Ana Souza", "ana@example.com", start, start + HALF_HOUR))
            round_book.append((time.perf_counter_ns() - begin) / 1000)
            stamp = int(start.timestamp())
            begin = time.perf_counter_ns()
            raw.execute("BEGIN IMMEDIATE")
            raw.execute(
                "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc,"
                " end_utc, status, created_utc) VALUES (1, ?, ?, ?, ?, 'booked', ?)",
                ("Ana Souza", "ana@example.com", stamp, stamp + 1800, stamp),
            )
            raw.execute("COMMIT")
            round_raw.append((time.perf_counter_ns() - begin) / 1000)
        book_us.extend(round_book)
        raw_us.extend(round_raw)
    repo.close()
    raw.close()
    return book_us[20:], raw_us[20:]


def contender(
    url: str, index: int, slots: int, distinct: bool, go: mp.Event, results: mp.Queue
) -> None:  # type: ignore[type-arg]
    repo = open_repository(url)
    booked = refused = 0
    errors: list[str] = []
    go.wait()
    begin = time.perf_counter()
    for slot in range(slots):
        number = slot + index * slots if distinct else slot
        start = BASE + timedelta(days=400) + number * HALF_HOUR
        try:
            repo.book(BookingRequest(f"Desk {index}", "desk@example.com", start, start + HALF_HOUR))
            booked += 1
        except SlotUnavailable:
            refused += 1
        except Exception as exc:  # reported, never hidden
            errors.append(f"{type(exc).__name__}: {exc}")
    results.put((booked, refused, errors, time.perf_counter() - begin))
    repo.close()


def contested(folder: Path, procs: int, slots: int, distinct: bool) -> str:
    context = mp.get_context("spawn")
    url = f"sqlite:///{folder / ('distinct.db' if distinct else 'same.db')}"
    open_repository(url).close()
    go, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=contender, args=(url, i, slots, distinct, go, results))
        for i in range(procs)
    ]
    for worker in workers:
        worker.start()
    time.sleep(1.0)  # let every process import and open its connection
    begin = time.perf_counter()
    go.set()
    outcomes = [results.get(timeout=600) for _ in workers]
    elapsed = time.perf_counter() - begin
    for worker in workers:
        worker.join()
    attempts = sum(b + r + len(e) for b, r, e, _ in outcomes)
    booked = sum(b for b, _, _, _ in outcomes)
    errors = [e for _, _, errs, _ in outcomes for e in errs]
    kind = "distinct slots" if distinct else "the same slots"
    return (
        f"  {procs} processes over {kind}: {attempts / elapsed:8.0f} attempts/s, "
        f"{booked / elapsed:7.0f} bookings/s, {booked} booked of {attempts}, "
        f"other errors: {len(errors)}{' ' + errors[0] if errors else ''}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="writes measured per kind")
    parser.add_argument("--procs", type=int, default=8)
    parser.add_argument("--seeded", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None, help="where the files go")
    args = parser.parse_args()
    parent = args.dir or Path(__file__).resolve().parent.parent.parent
    with tempfile.TemporaryDirectory(prefix="timesyncer-bench-", dir=parent) as name:
        folder = Path(name)
        print(
            f"TimeSyncer booking writes: Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}, {os.cpu_count()} cores, files in {folder.parent}"
        )
        for seeded in (0, args.seeded):
            book_us, raw_us = measure_latency(folder, args.n, seeded)
            book_med, raw_med = statistics.median(book_us), statistics.median(raw_us)
            book_p99, raw_p99 = percentile(book_us, 0.99), percentile(raw_us, 0.99)
            print(f"durable write, {seeded:,} bookings already in the file, {len(book_us)} each:")
            print(f"  raw sqlite3 INSERT+COMMIT: median {raw_med:8.0f} us   p99 {raw_p99:8.0f} us")
            print(
                f"  repository.book():         median {book_med:8.0f} us   p99 {book_p99:8.0f} us"
            )
            print(
                f"  ratio book()/raw:          median {book_med / raw_med:8.2f}x     "
                f"p99 {book_p99 / raw_p99:8.2f}x   (target at most 1.5x)"
            )
        print("contested throughput:")
        slots = max(20, args.n // 4)
        print(contested(folder, args.procs, slots, distinct=False))
        print(contested(folder, args.procs, slots, distinct=True))


if __name__ == "__main__":
    main()
