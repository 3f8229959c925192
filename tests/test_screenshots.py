"""The README's screenshots come out byte for byte the same on every run, so regenerating them
changes the repository only when the window itself changed."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from timesyncer_gui.domain.clock import SystemClock

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "screenshots.py"
NAMES = ("desk.png", "booking-details.png", "admin.png", "mail.png")


def render(out: Path) -> dict[str, bytes]:
    result = subprocess.run(
        [sys.executable, str(TOOL), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return {name: (out / name).read_bytes() for name in NAMES}


def test_two_runs_give_the_same_pictures(tmp_path: Path) -> None:
    first = render(tmp_path / "first")
    second = render(tmp_path / "second")
    assert all(len(picture) > 10_000 for picture in first.values())
    assert [n for n in NAMES if first[n] != second[n]] == []


def test_nothing_shown_reads_the_real_clock(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs a second apart cannot catch a stamp that shows minutes; this can: the seeded
    bookings and the window must take every "now" from the tool's fixed clock."""

    def real_clock(_self: SystemClock) -> datetime:
        raise AssertionError("the screenshots read the real clock")

    monkeypatch.setattr(SystemClock, "now", real_clock)
    spec = importlib.util.spec_from_file_location("screenshots_tool", TOOL)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
