"""``python -m timesyncer_gui`` starts the app."""

from __future__ import annotations

from .app import main

if __name__ == "__main__":
    raise SystemExit(main())
