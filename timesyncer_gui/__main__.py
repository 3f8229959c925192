"""``python -m timesyncer_gui`` starts the app; it is also the packaged program's entry point,
so the import is absolute."""

from __future__ import annotations

from timesyncer_gui.app import main

if __name__ == "__main__":
    raise SystemExit(main())
