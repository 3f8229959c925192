# Two commands on a fresh clone: `make run` starts the app, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: run test lint bench clean screenshots package

$(BIN)/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TimeSyncer needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/timesyncer $(ARGS)

test: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check timesyncer_gui tests benchmarks tools
	$(BIN)/ruff format --check timesyncer_gui tests benchmarks tools

bench: $(VENV)/.installed-dev
	$(PY) -m compileall -q timesyncer_gui
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/booking_write.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/startup.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/desk_speed.py
	$(PY) benchmarks/mail_send.py
	$(PY) benchmarks/upgrade.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

$(VENV)/.installed-package: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[package]'
	@touch $@

# Builds dist/TimeSyncer/ (one folder) and dist/TimeSyncer-portable (one file) for this OS,
# then proves each works with its own --self-test, and the portable one keeps its data beside it.
package: $(VENV)/.installed-package
	$(BIN)/pyinstaller --noconfirm --clean build.spec
	QT_QPA_PLATFORM=offscreen bash tools/package_smoke.sh dist

screenshots: $(VENV)/.installed-dev
	QT_QPA_PLATFORM=offscreen $(PY) tools/screenshots.py
