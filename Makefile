# Steward — the two commands: `make run` (set up + serve the demo) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs twice: on SQLite, then on this PostgreSQL (trust auth; pytest-django creates
# and drops test_<name> beside it).
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?= -n 2
# The real-data corpus (recorded webhooks, REST exchanges, NLBSE'24) beside the project. The core
# suite never reads it; the `conformance` tests replay it. Where it is present they must pass on
# it (STEWARD_REQUIRE_CORPUS=1: a missing corpus fails them, as in CI); a clone without it skips
# them, each skip naming why (the summary after each run counts the skips by reason).
CORPUS_DIR ?= $(or $(STEWARD_CORPUS_DIR),$(abspath ../shared/data))
export STEWARD_CORPUS_DIR := $(CORPUS_DIR)
export STEWARD_REQUIRE_CORPUS ?= $(if $(wildcard $(CORPUS_DIR)/.),1,0)

.PHONY: run test test-sqlite test-postgres lint check-migrations install serve demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch is installed first and pinned: left to the resolver it would pull GBs of CUDA packages.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[ml,dev]"
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: install
	$(BIN)/python manage.py demo

test: lint check-migrations test-sqlite test-postgres

test-sqlite: install
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check --fail-level WARNING

check-migrations: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache test-artifacts
