"""The Qt bindings installed here keep Python's reference counts straight.

PySide6 6.12.0 released a reference to None on every call of a method that returns nothing.
On Python 3.11 None is reference-counted, so a long day at the desk ended in
"Fatal Python error: none_dealloc". pyproject.toml excludes that release; this test makes
sure whatever is installed does not do it again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QLabel


def test_calls_returning_nothing_leave_none_alone(qapp: QApplication) -> None:
    label, owner, colour = QLabel(), QObject(), QColor(10, 20, 30)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    calls = (
        lambda: label.setEnabled(True),
        lambda: owner.setObjectName("desk"),
        lambda: colour.setAlpha(40),
        lambda: painter.fillRect(QRect(0, 0, 2, 2), colour),
    )
    try:
        for call in calls:
            call()  # warm any cache first
            before = sys.getrefcount(None)
            for _ in range(1000):
                call()
            # The broken release drops exactly one reference per call; allow a little noise.
            dropped = before - sys.getrefcount(None)
            assert dropped < 100, f"{dropped} references to None lost in 1,000 calls"
    finally:
        painter.end()
