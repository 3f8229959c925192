"""``python -m timesyncer_gui`` and the ``timesyncer`` command start the app; this is also the
packaged program's entry point, so the import is absolute.

Start-up makes a great many objects that all live on (modules, classes, Qt's Python types), and
the cyclic garbage collector would walk them again and again while they are made: about 4% of
start-up, found nothing to free. It is paused until the window has painted (``app.main``
resumes it and sets those objects aside for good).
"""

from __future__ import annotations

import gc
import sys

if getattr(sys, "frozen", False):
    # The packaged program is also its own helper process (a backlog of emails is composed
    # in one, see mail/rendering.py): started as one, it serves and exits here.
    import multiprocessing

    multiprocessing.freeze_support()


def run() -> int:
    """The ``timesyncer`` command and ``python -m timesyncer_gui``: the collector is paused
    here, not on import, so nothing that merely imports this module is left without it."""
    gc.disable()
    from timesyncer_gui.app import main

    return main()


if __name__ == "__main__":
    raise SystemExit(run())
