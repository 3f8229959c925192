"""The names scripts import from ``timesyncer_gui``, each loaded only when asked for."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import timesyncer_gui


@pytest.mark.parametrize("name", [n for n in timesyncer_gui.__all__ if n != "__version__"])
def test_each_public_name_is_the_one_its_module_defines(name: str) -> None:
    value = getattr(timesyncer_gui, name)
    home = importlib.import_module(value.__module__)
    assert getattr(home, name) is value


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'open_database'"):
        timesyncer_gui.open_database  # noqa: B018


def test_importing_the_package_loads_none_of_the_app() -> None:
    """So ``python -m timesyncer_gui`` can pause the garbage collector before the app loads."""
    probe = (
        "import sys, timesyncer_gui; "
        "print(sorted(m for m in sys.modules if m.startswith('timesyncer_gui')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['timesyncer_gui']"


def test_every_public_name_has_a_home_and_is_listed() -> None:
    assert set(timesyncer_gui._HOMES) | {"__version__"} == set(timesyncer_gui.__all__)
    listed = dir(timesyncer_gui)
    assert set(timesyncer_gui.__all__) <= set(listed)
    assert {"__doc__", "__version__", "__path__"} <= set(listed)  # what a module always has
