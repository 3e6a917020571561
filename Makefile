# cchc: reproducible CCHC reports. `make` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help setup report ingest build test hostile lint lab sample benchmark benchmark-memory clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml scripts/install-system.sh
	bash scripts/install-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with pinned packages (and Debian packages via apt)

report: $(STAMP) ## Set up, then build every report of the default grid from the shipped data
	$(BIN)/cchc build

ingest: $(STAMP) ## Validate data/raw/ into data/processed/ (and the validation report)
	$(BIN)/cchc ingest

test: lint ## Lint, then the whole test suite (unit, golden, CLI, notebooks with strict nbval)
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/python -m pytest -q

hostile: $(STAMP) ## Every input case (bad, messy, hostile; several minutes), then their table tests/hostile_cases.md
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/python -m pytest -q -m "hostile or inputs" --case-table tests/hostile_cases.md tests
	@cat tests/hostile_cases.md

lint: $(STAMP) ## ruff check, and the import contract (stages import downwards only)
	$(BIN)/ruff check cchc_lib tests benchmarks scripts
	$(BIN)/lint-imports --no-cache

lab: $(STAMP) ## Open the notebooks in JupyterLab
	$(BIN)/jupyter lab notebooks/

sample: $(STAMP) ## Regenerate the synthetic sample data (seeded)
	$(BIN)/cchc sample

benchmark: $(STAMP) ## Ingest benchmark: 1M and 10M generated dossier rows
	$(BIN)/python benchmarks/bench_ingest.py

benchmark-memory: $(STAMP) ## Peak memory of ingesting one 200 MB CSV, XLSX, Parquet (and validate)
	$(BIN)/python benchmarks/bench_memory.py

clean: ## Remove build products (data/processed, outputs)
	rm -rf data/processed/* outputs/*
	touch data/processed/.gitkeep outputs/.gitkeep
