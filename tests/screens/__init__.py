"""Screens for Qt's offscreen platform: a front desk's 1920 by 1080 monitor (``desk.json``)
and a 1366 by 768 laptop at 150% (``laptop_150.json``). Qt's own offscreen screen is 800 by
800, smaller than any desk's."""

from __future__ import annotations

import os
from pathlib import Path

SCREENS = Path(__file__).resolve().parent


def offscreen_on(name: str) -> str:
    """``QT_QPA_PLATFORM`` for Qt's offscreen platform with the screens of ``name`` here. Qt
    splits the value at colons, so a path holding one (a Windows drive's) is given relative
    to the working folder; from another drive there is none, and Qt's own screen is used."""
    path = str(SCREENS / name)
    if ":" in path:
        try:
            path = os.path.relpath(SCREENS / name)
        except ValueError:
            return "offscreen"
    return f"offscreen:configfile={path}"
