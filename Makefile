# emsterm: the two commands of the Quick start, plus benchmarks. Each target does its own set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_CASES ?= 5000
PYTEST_ARGS ?=
WORKERS ?= 2
CHROMIUM ?= /usr/bin/chromium

.PHONY: install chromium run lint test bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## install: the virtual environment with emsterm and its test tools, and Chromium for the browser test
install: $(STAMP) chromium

## chromium: Debian's Chromium for tests/test_serve_browser.py, installed with apt-get when missing
## (as root, else with sudo if it needs no password); the test skips, saying why, where that fails
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo -n"; else sudo=none; fi; \
	  if [ "$$sudo" != none ] && { $$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q chromium; } >/dev/null 2>&1; then \
	    echo "chromium installed"; \
	  else echo "chromium could not be installed: the browser test will be skipped"; fi; \
	fi

## run: migrate the database, seed demo data if it has no cases, set the demo users, open the terminal
run: $(STAMP)
	$(BIN)/ems demo --cases $(DEMO_CASES)
	$(BIN)/ems tui $(if $(THEME),--theme $(THEME))

## lint: ruff check and ruff format --check (settings in pyproject.toml), then mypy over emsterm (strict on the rules and the model)
lint: $(STAMP)
	$(BIN)/ruff check emsterm tests benchmarks db
	$(BIN)/ruff format --check emsterm tests benchmarks db
	$(BIN)/mypy

## test: lint, then the whole test suite (SQLite, and PostgreSQL on 127.0.0.1:5432) on $(WORKERS) processes
test: lint chromium
	$(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS)

## bench: the benchmarks; they print their figures
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_rules.py; r=$$?; \
	$(BIN)/python benchmarks/bench_terminal.py; t=$$?; \
	$(BIN)/python benchmarks/bench_seed.py; s=$$?; \
	$(BIN)/python benchmarks/bench_cases.py; c=$$?; \
	$(BIN)/python benchmarks/bench_batch.py; b=$$?; \
	$(BIN)/python benchmarks/bench_evs.py; e=$$?; \
	$(BIN)/python benchmarks/bench_ccses.py; x=$$?; \
	$(BIN)/python benchmarks/bench_payments.py; p=$$?; \
	$(BIN)/python benchmarks/bench_training.py; g=$$?; \
	exit $$(( r || t || s || c || b || e || x || p || g ))

## screenshots: the README's pictures of the terminal, replayed from the shipped flows (flow:step) on a
## fresh demo database of 300 cases at 2025-03-01 (what the tests replay on), as SVG and PNG
SHOTS ?= first-sign-on:3 menus-and-fast-path:2 client-search:3 client-search:4 intake:14
SHOTS_DIR := screens/flows/shots
screenshots: $(STAMP)
	set -e; db=$$(mktemp -d); trap 'rm -rf "$$db"' EXIT; \
	$(BIN)/ems --db sqlite:///$$db/ems.db --date 2025-03-01 demo --cases 300 --seed 1; \
	for shot in $(SHOTS); do flow=$${shot%%:*}; step=$${shot##*:}; out=$(SHOTS_DIR)/$$flow-$$step; \
	  $(BIN)/ems --db sqlite:///$$db/ems.db --date 2025-03-01 screenshot \
	    screens/flows/$$flow.toml --step $$step --out $$out.svg --out $$out.png; \
	done

clean:
	rm -rf $(VENV) .pytest_cache build dist
