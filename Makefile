# The two commands a newcomer needs: `make demo` and `make test`. Everything else is here
# for day-to-day work. uv comes from PyPI into .tools/ when the machine has none.

SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --frozen
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project

.PHONY: install demo test dev api dagster lint manifest db-url db-stop clean bench mlflow

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV) ## create .venv from the committed uv.lock
	$(UV) sync --frozen
	$(MAKE) --no-print-directory manifest

manifest: ## dbt parse: the manifest Dagster reads to build the dbt assets
	CRM_PG_HOST=localhost $(RUN) dbt parse $(DBT_DIRS) --quiet

demo: install ## start the database, send sample traffic, run the pipeline, print what it built
	$(RUN) crm demo

test: install ## the test suite (DATABASE_URL set: that server; unset: an embedded one)
	$(RUN) pytest

dev: install ## Dagster UI on :3000, the API on :8000 and the conversation worker, one database
	@export DATABASE_URL="$${DATABASE_URL:-$$($(RUN) crm db url)}"; \
	export DAGSTER_HOME="$${DAGSTER_HOME:-$(CURDIR)/.crm/dagster}"; mkdir -p "$$DAGSTER_HOME"; \
	echo "database: $$DATABASE_URL"; \
	echo "Dagster UI http://localhost:3000   API docs http://localhost:8000/docs   (Ctrl-C stops all)"; \
	trap 'kill 0' EXIT INT TERM; \
	$(RUN) crm serve & \
	$(RUN) crm worker & \
	$(RUN) dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000 & \
	wait

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .

bench: install ## ingestion benchmark against an API it starts itself
	$(RUN) python bench/ingest.py --start-server

mlflow: install ## the MLflow UI on :5000 over the store the models use (.crm/mlflow by default)
	@uri="$$($(RUN) python -c 'from ml.store import tracking_uri; print(tracking_uri())')"; \
	case "$$uri" in http*) echo "MLFLOW_TRACKING_URI is a server: open $$uri"; exit 0;; esac; \
	echo "MLflow UI http://localhost:5000   store: $$uri"; \
	$(RUN) mlflow ui --backend-store-uri "$$uri" --host 127.0.0.1 --port 5000

db-url: install
	@$(RUN) crm db url

db-stop:
	$(RUN) crm db stop

clean: ## stop the embedded server and forget local state (data under .crm/ is deleted)
	-$(RUN) crm db stop
	rm -rf .crm dbt_project/target dbt_project/logs
