"""The core stays plain Python: no Qt import outside ui/ and the composition root."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "timesyncer_gui"
QT_FREE = ["domain", "storage", "mail", "desk.py", "settings.py", "paths.py", "logging_setup.py"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_imports_no_qt() -> None:
    offenders = []
    for entry in QT_FREE:
        target = PACKAGE / entry
        if not target.exists():  # a layer not written yet (mail/ arrives with the outbox)
            continue
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for file in files:
            if imported_modules(file) & {"PySide6", "shiboken6", "PyQt6", "PyQt5"}:
                offenders.append(str(file.relative_to(PACKAGE)))
    assert offenders == []


def test_no_sql_in_the_user_interface() -> None:
    for file in (PACKAGE / "ui").rglob("*.py"):
        assert "sqlite3" not in imported_modules(file), file
        assert "SELECT " not in file.read_text(encoding="utf-8"), file
