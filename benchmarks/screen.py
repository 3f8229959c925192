"""The offscreen screen the benchmarks draw on: a front desk's 1920 by 1080 monitor, the one
the test suite uses. On Qt's own offscreen screen (800 by 800) the window would open smaller
than at a desk, and paint less."""

from __future__ import annotations

from pathlib import Path

DESK_SCREEN = Path(__file__).resolve().parent.parent / "tests" / "screens" / "desk.json"
OFFSCREEN_AT_A_DESK = f"offscreen:configfile={DESK_SCREEN}"
