"""The one place that decides where files live: per-user dirs, or a chosen data dir.

Frozen (PyInstaller) or not, bundled resources are found through ``resource_path``.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "TimeSyncer"
DB_FILENAME = "timesyncer.db"


def default_data_dir() -> Path:
    """The per-user data folder (for example ``~/.local/share/TimeSyncer`` on Linux)."""
    import platformdirs  # only needed when no data dir is given

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def portable_data_dir() -> Path | None:
    """The data folder of a portable install: ``data`` beside the executable, when a
    ``portable.txt`` stands there. Only a packaged (frozen) program can be portable."""
    if not getattr(sys, "frozen", False):
        return None
    here = Path(sys.executable).resolve().parent
    return here / "data" if (here / "portable.txt").is_file() else None


def default_log_dir() -> Path:
    """The per-user log folder, used when no data dir was chosen explicitly."""
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The bundled ``resources/`` folder: inside the PyInstaller bundle, or beside the package."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(name: str) -> Path:
    """A bundled resource by file name, such as ``icon.png``."""
    return resources_dir() / name
