"""The core is plain Python: importing it loads no Qt, so scripts and tests stay light."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_loads_no_qt() -> None:
    code = (
        "import sys, timesyncer_gui, timesyncer_gui.domain.schedule, timesyncer_gui.storage,"
        " timesyncer_gui.desk, timesyncer_gui.settings\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
