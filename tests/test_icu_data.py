"""The reduced ICU data library the Linux package ships (tools/shrink_icu_data.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "shrink_icu_data", ROOT / "tools" / "shrink_icu_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = load_tool()


def wheel_icu_data() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


@pytest.mark.parametrize(
    "item",
    [
        "coll/de.res",
        "coll/zh.res",
        "brkitr/cjdict.dict",
        "translit/root.res",
        "lang/de.res",
        "region/pool.res",
        "curr/en.res",
        "unit/fr.res",
        "rbnf/en.res",
        "ibm-1252_P100-2000.cnv",
        "rfc3491.spp",
        "confusables.cfu",
        "unames.icu",
    ],
)
def test_families_qt_never_reads_are_removed(item: str) -> None:
    assert tool.is_unused(item)


@pytest.mark.parametrize("item", [*tool.REQUIRED, "de.res", "zone/de_CH.res", "tr.res"])
def test_what_qt_reads_is_kept(item: str) -> None:
    assert not tool.is_unused(item)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or wheel_icu_data() is None,
    reason="the PySide6 wheel bundles ICU on Linux only",
)
@pytest.mark.skipif(
    # In CI (which installs them) a missing tool fails the test instead.
    not all(tool.find_tool(name) for name in tool.TOOLS) and not os.environ.get("CI"),
    reason="needs icupkg and genccode (icu-devtools) and ld (binutils)",
)
def test_the_reduced_library_is_a_quarter_of_the_size_and_passes_the_self_test(
    tmp_path: Path,
) -> None:
    wheel = wheel_icu_data()
    assert wheel is not None
    reduced = tool.shrink_icu_data(wheel, tmp_path / "icu")
    assert reduced.name == wheel.name
    assert reduced.stat().st_size < wheel.stat().st_size / 3
    # The loader matches libraries by SONAME, so a preloaded copy is the one QtCore's ICU uses,
    # exactly as the package's copy is.
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LD_PRELOAD": str(reduced)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], capture_output=True, text=True, env=env, cwd=tmp_path
        )

    # A code-page table that was removed: the reduced copy is the one in use.
    probe = run(
        "-c", "from PySide6.QtCore import QStringDecoder as D; print(D('cp1252').isValid())"
    )
    assert probe.stdout.strip() == "False", probe.stderr
    result = run("-m", "timesyncer_gui", "--self-test")
    assert result.returncode == 0, result.stderr
    assert "self-test passed" in result.stdout
