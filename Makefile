# Greenlane. `make run` and `make test` are the two commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# The suite runs on two workers (pytest-xdist); each test file stays on one worker. TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2

.PHONY: install run test lint bench clean openapi messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

run: install
	GREENLANE_DEMO=1 $(BIN)/greenlane migrate --no-input
	GREENLANE_DEMO=1 $(BIN)/greenlane load-criteria
	GREENLANE_DEMO=1 $(BIN)/greenlane seed-demo --if-empty
	GREENLANE_DEMO=1 $(BIN)/greenlane demo-logins
	GREENLANE_DEMO=1 GREENLANE_DEBUG=1 $(BIN)/greenlane runserver --noreload $(HOST)

test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check greenlane bench tests
	$(BIN)/mypy greenlane
	$(BIN)/lint-imports
	$(BIN)/greenlane makemigrations --check --dry-run
	$(BIN)/greenlane export-openapi --check

bench: install
	$(BIN)/python bench/run.py

openapi: install
	$(BIN)/greenlane export-openapi

clean:
	rm -rf $(VENV) node_modules var
