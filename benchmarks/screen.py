"""The offscreen screen the benchmarks draw on: a front desk's 1920 by 1080 monitor, the one
the test suite uses. On Qt's own offscreen screen (800 by 800) the window would open smaller
than at a desk, and paint less."""

from __future__ import annotations

import os
from pathlib import Path

DESK_SCREEN = Path(__file__).resolve().parent.parent / "tests" / "screens" / "desk.json"


def _offscreen_at_a_desk() -> str:
    """Qt splits the platform's arguments at colons: a path holding one (a Windows drive's)
    is given relative to the working folder."""
    path = str(DESK_SCREEN)
    if ":" in path:
        path = os.path.relpath(DESK_SCREEN)
    return f"offscreen:configfile={path}"


OFFSCREEN_AT_A_DESK = _offscreen_at_a_desk()
