"""``python -m timesyncer_gui`` starts the app; it is also the packaged program's entry point,
so the import is absolute."""

from __future__ import annotations

import sys

if getattr(sys, "frozen", False):
    # The packaged program is also its own helper process (a backlog of emails is composed
    # in one, see mail/rendering.py): started as one, it serves and exits here.
    import multiprocessing

    multiprocessing.freeze_support()

from timesyncer_gui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
