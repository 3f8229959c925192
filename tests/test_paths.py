"""Where files go: resources found beside the package, and portable installs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from timesyncer_gui.paths import portable_data_dir, resource_path
from timesyncer_gui.settings import Settings


def test_bundled_resources_are_found() -> None:
    for name in ("icon.png", "icon.ico", "icon.svg"):
        assert resource_path(name).is_file(), name


def test_a_plain_python_run_is_never_portable(tmp_path: Path) -> None:
    assert portable_data_dir() is None


def test_a_packaged_program_with_portable_txt_keeps_data_beside_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What PyInstaller sets in a packaged program; the real build is checked by
    # tools/package_smoke.sh in `make package`.
    program = tmp_path / "TimeSyncer.exe"
    program.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    assert portable_data_dir() is None
    (tmp_path / "portable.txt").write_text("")
    assert portable_data_dir() == tmp_path / "data"
    settings = Settings.load(environ={}, cwd=tmp_path)
    assert settings.data_dir == tmp_path / "data"
    assert settings.log_dir == tmp_path / "data" / "logs"
