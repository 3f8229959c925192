"""The packaged program: its size, and its start-up next to `python -m timesyncer_gui`.

Run after `make package`. Both start as fresh processes on the same database (100,000
bookings), offscreen, and quit on their first paint; runs alternate; medians are printed.

    python benchmarks/package.py [--dist dist] [--runs 11]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screen import OFFSCREEN_AT_A_DESK
from seed import seed_bookings
from startup import run


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=Path("dist"))
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    suffix = ".exe" if os.name == "nt" else ""
    folder = args.dist / "TimeSyncer"
    onefile = args.dist / f"TimeSyncer-portable{suffix}"
    print(f"one-folder build: {size_mb(folder):6.1f} MB (target at most 100 MB)")
    print(f"one-file build:   {size_mb(onefile):6.1f} MB (target at most 50 MB)")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": OFFSCREEN_AT_A_DESK,
        "TIMESYNCER_TIMEZONE": "Europe/London",
    }
    with tempfile.TemporaryDirectory(prefix="timesyncer-package-") as name:
        data = Path(name)
        seed_bookings(data / "timesyncer.db", 100_000)
        packaged = [
            str(folder / f"TimeSyncer{suffix}"),
            "--data-dir",
            str(data),
            "--exit-after-paint",
        ]
        python = [
            sys.executable,
            "-m",
            "timesyncer_gui",
            "--data-dir",
            str(data),
            "--exit-after-paint",
        ]
        for command in (packaged, python):
            run(command, env)
        times: dict[str, list[float]] = {"packaged": [], "python": []}
        for _ in range(args.runs):
            times["packaged"].append(run(packaged, env))
            times["python"].append(run(python, env))
    packaged_ms = statistics.median(times["packaged"]) * 1000
    python_ms = statistics.median(times["python"]) * 1000
    print(f"start-up to first paint, 100,000 bookings, median of {args.runs}:")
    print(f"  python -m timesyncer_gui: {python_ms:6.1f} ms")
    print(f"  packaged one-folder:      {packaged_ms:6.1f} ms")
    print(f"  ratio: {packaged_ms / python_ms:.2f}x (target at most 1.2x)")


if __name__ == "__main__":
    main()
