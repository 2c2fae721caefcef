# One image for the API, the worker and the Dagster services (docker-compose.yml picks the
# command). Dependencies come from the committed uv.lock, nothing else.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    DAGSTER_HOME=/opt/dagster/home

RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app

COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev \
 && CRM_PG_HOST=localhost dbt parse --project-dir dbt_project --profiles-dir dbt_project --quiet \
 && mkdir -p "$DAGSTER_HOME" && cp orchestration/dagster.yaml "$DAGSTER_HOME/dagster.yaml"

EXPOSE 8000 3000
CMD ["crm", "serve", "--host", "0.0.0.0"]
