"""The README's scripting example is run as written, so it cannot rot."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def run_example(code: str, folder: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(README.parent)},
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.splitlines()


def test_the_scripting_example_runs_as_written_and_again(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no Python example"
    first = run_example(blocks[0], tmp_path)
    assert first[0] == "Booked Ana Souza as booking 1"
    assert first[1].startswith("That time is already taken")
    assert first[2].startswith("1 Ana Souza 2030-03-04T09:00:00+00:00")
    assert (tmp_path / "desk.db").is_file()

    # Run a second time in the same folder: the slot is Ana's already, so both are refused
    # with a sentence, and the file still holds her one booking.
    second = run_example(blocks[0], tmp_path)
    assert second[0].startswith("That time is already taken")
    assert second[1].startswith("That time is already taken")
    assert second[2:] == first[2:]


def test_the_readme_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make run" in text and "make test" in text


def test_the_readme_states_the_excluded_pyside6_as_pyproject_does() -> None:
    pyproject = (README.parent / "pyproject.toml").read_text(encoding="utf-8")
    exclusion = re.search(
        r'"PySide6-Essentials[^"]*(!=[\d.*]+); python_version < \'([\d.]+)\'"', pyproject
    )
    assert exclusion, "pyproject.toml no longer excludes a PySide6 release"
    version, below = exclusion.groups()
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"`{version}` below Python {below}" in text
