"""Opening a million-booking database written by the release before accent-folded search.

The upgrade copies the file aside, then folds every name and address and rebuilds the search
index over the folded keys, once. Measured against the same copy and a rebuild of the old
index from the same rows with plain sqlite3, in the same run.

    python benchmarks/upgrade.py [--bookings 1000000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from seed import RESOURCES, seed_rows

from timesyncer_gui import open_repository
from timesyncer_gui.storage.migrations import APPLICATION_ID, MIGRATIONS

OLD_VERSION = 4  # the last schema whose search index read the names as written


def make_old_file(path: Path, count: int) -> None:
    """A schema-4 file holding ``count`` bookings, every one in its search index."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for script in MIGRATIONS[:OLD_VERSION]:
        conn.executescript(script)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {OLD_VERSION}")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO resources (id, name) VALUES (?, ?)",
        [(i, f"Room {i}") for i in range(2, RESOURCES + 1)],
    )
    conn.executemany(
        "INSERT INTO bookings (resource_id, customer_name, customer_email, start_utc, end_utc,"
        " status, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        seed_rows(count),
    )
    conn.execute("UPDATE search_progress SET last_id = (SELECT max(id) FROM bookings)")
    conn.execute("COMMIT")
    conn.close()


def baseline(path: Path) -> float:
    """Seconds for what plain sqlite3 does to the same file: a copy, and the old index rebuilt."""
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    copy = sqlite3.connect(path.with_suffix(".copy"))
    conn.backup(copy)
    copy.close()
    conn.execute("INSERT INTO bookings_search (bookings_search) VALUES ('rebuild')")
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="timesyncer-upgrade-") as folder:
        path = Path(folder) / "timesyncer.db"
        make_old_file(path, args.bookings)
        raw = baseline(path)
        started = time.perf_counter()
        open_repository(f"sqlite:///{path}").close()
        upgrade = time.perf_counter() - started
    print(f"schema {OLD_VERSION} file of {args.bookings:,} bookings")
    print(f"  raw sqlite3: copy the file and rebuild its search index: {raw:6.1f} s")
    print(f"  TimeSyncer opening it (copy aside, fold, rebuild):       {upgrade:6.1f} s")
    print(f"  ratio: {upgrade / raw:.2f}x")


if __name__ == "__main__":
    main()
