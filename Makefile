# The few verbs people use. `make run` and `make test` are the README's two commands.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GONGKAI_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint fmt install worker clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## Install, migrate, load demo data into an empty database, start web server + worker.
run: $(STAMP)
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai demo --if-empty
	$(BIN)/gongkai serve

## The whole test suite on SQLite (set DATABASE_URL for PostgreSQL), then lint.
test: $(STAMP)
	GONGKAI_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -m "not broker and not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy gongkai tests benchmarks

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## A worker on another machine sharing a broker: BROKER_URL=redis://… make worker
worker: $(STAMP)
	$(BIN)/gongkai worker

clean:
	rm -rf $(VENV) var
