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


def test_the_storage_package_hands_out_its_contract_when_asked() -> None:
    """Opening a repository loads no contract (the first paint needs none); asking for one of
    its names does, and gives the contract's own object."""
    probe = (
        "import sys; from timesyncer_gui.storage import open_repository; "
        "print('timesyncer_gui.storage.contract' in sys.modules); "
        "from timesyncer_gui import storage; from timesyncer_gui.storage import contract; "
        "print(storage.BookingQuery is contract.BookingQuery, "
        "storage.SORT_COLUMNS is contract.SORT_COLUMNS, storage.Repository is contract.Repository, "
        "{'BookingQuery', 'SORT_COLUMNS', 'Repository'} <= set(dir(storage)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["False", "True True True True"]
    with pytest.raises(AttributeError, match="no attribute 'Contract'"):
        importlib.import_module("timesyncer_gui.storage").Contract  # noqa: B018
