# bakuhub: two commands. `make run` starts the platform, `make test` checks it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOLS ?= .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed

.PHONY: run test lint typecheck pytest install bench clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bakuhub needs Python 3.11 or newer; set PYTHON=python3.11 (or newer) and run make again")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The generated-client test's own environment (requirements-tools.lock says why apart).
$(TOOLS_STAMP): requirements-tools.lock
	test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet -r requirements-tools.lock
	touch $(TOOLS_STAMP)

install: $(STAMP) $(TOOLS_STAMP)

## Start the platform at http://127.0.0.1:8000 (SQLite under ./var, demo record loaded on first start).
run: $(STAMP)
	$(BIN)/bakuhub serve

## Lint, type-check and test (the same command CI runs).
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

# The tests run on every core (pytest-xdist, at most 4 workers), each test file on one
# worker so that its shared fixtures are made once; PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= auto
pytest: $(STAMP) $(TOOLS_STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/api.py

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache
