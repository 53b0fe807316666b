# The two commands of the README: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint clean-db bench bench-postgres

$(VENV)/.runtime: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

## run: set up, create the SQLite database with demo data on first run, serve on :$(PORT)
run: $(VENV)/.runtime
	$(BIN)/python -m tracker init
	$(BIN)/python -m tracker demo --if-empty
	$(BIN)/python -m streamlit run dashboards/app.py --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

## test: set up, lint, type-check, run the whole suite (SQLite and PostgreSQL) with branch
##       coverage, and fail when coverage drops below its floor (pyproject.toml)
test: $(VENV)/.dev lint
	scripts/with-postgres $(BIN)/python -m pytest -n auto --dist loadfile --cov --cov-report=
	$(BIN)/python scripts/coverage_report.py

## bench: the performance benchmark at national scale on SQLite (bench/national.db)
bench: $(VENV)/.dev
	$(BIN)/python -m tracker bench

## bench-postgres: the same on PostgreSQL (run as `scripts/with-postgres make bench-postgres`)
bench-postgres: $(VENV)/.dev
	TRACKER_DATABASE_URL="$$TRACKER_TEST_POSTGRES_URL" $(BIN)/python -m tracker bench

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy .

## clean-db: delete the local SQLite database (the next `make run` recreates the demo)
clean-db:
	rm -f data/tracker.db data/tracker.db-wal data/tracker.db-shm
