"""The offscreen screen the benchmarks draw on: a front desk's 1920 by 1080 monitor, the one
the test suite uses. On Qt's own offscreen screen (800 by 800) the window would open smaller
than at a desk, and paint less."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.screens import offscreen_on

OFFSCREEN_AT_A_DESK = offscreen_on("desk.json")
