# One task runner for the project. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every dependency pinned with hashes by `make lock`: the image installs the first, the
# virtualenv (and so CI) the second, which adds the dev and test extras.
LOCK := requirements.txt
DEV_LOCK := requirements-dev.txt
# Universal: one lock for Linux and macOS, Python 3.11 and newer.
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command 'make lock'

.DEFAULT_GOAL := help
.PHONY: help run test lint format lock bench vendor clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The virtualenv is rebuilt only when pyproject.toml or a lock changes, so repeat runs start
# at once. The project itself goes in without dependencies: they all come from the lock.
$(STAMP): pyproject.toml $(LOCK) $(DEV_LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

run: $(STAMP) ## Start the local stack (Postgres, Redis, migrations, app processes)
	$(BIN)/python -m devstack dev

test: $(STAMP) ## Run the test suite against real embedded Postgres and Redis
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff lint and format check; mypy, strict on shared/ (pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared webhook_receiver workers

format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(STAMP) ## Pin every dependency with hashes after a pyproject change (LOCK_ARGS=--upgrade)
	$(COMPILE) $(LOCK_ARGS) --output-file $(LOCK)
	$(COMPILE) $(LOCK_ARGS) --extra dev --extra test --constraint $(LOCK) --output-file $(DEV_LOCK)

bench: $(STAMP) ## Run every benchmark in bench/ and print one summary table (BENCH_ARGS=--quick)
	$(BIN)/python bench/summary.py $(BENCH_ARGS)

vendor: $(STAMP) ## Fetch supabase-js for the review page from the npm registry (checked)
	$(BIN)/python -m devstack.vendor

clean: ## Remove the virtualenv and the local stack's data
	rm -rf $(VENV) .devstack
