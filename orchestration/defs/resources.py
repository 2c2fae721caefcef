"""Resources: the CRM database, resolved at run time, and the dbt CLI over our dbt project.

The database may be the embedded server, started on demand, so nothing here connects or
resolves a URL at import time. dbt reaches the database through the `CRM_PG_*` variables
that `dbt_project/profiles.yml` reads; they are set only while a dbt command runs.
"""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import dagster as dg
import sqlalchemy as sa
from dagster_dbt import DbtCliResource, DbtProject

from crm import database
from crm.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# `dbt parse` renders profiles.yml but never connects: these stand in for an unresolved URL.
PARSE_ENV = {
    "CRM_PG_HOST": "localhost",
    "CRM_PG_PORT": "5432",
    "CRM_PG_USER": "postgres",
    "CRM_PG_PASSWORD": "",
    "CRM_PG_DBNAME": "postgres",
}

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


@contextmanager
def temporary_env(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def manifest_is_stale(project: DbtProject = dbt_project) -> bool:
    """True when `target/manifest.json` is missing or older than a file of the project."""
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    folders = ("models", "macros", "seeds", "tests", "snapshots")
    sources = [project.project_dir / "dbt_project.yml"]
    sources += [p for f in folders for p in (project.project_dir / f).rglob("*") if p.is_file()]
    return any(path.stat().st_mtime > built for path in sources)


def prepare_manifest(project: DbtProject = dbt_project) -> None:
    """Make sure an up-to-date `target/manifest.json` exists before `@dbt_assets` reads it.

    Under `dagster dev`, `prepare_if_dev()` re-parses on every load to pick up edits;
    elsewhere the Makefile's `dbt parse` built it, and we parse only if it is missing or
    older than the project's files (a test run straight after editing a model).
    """
    parse_env = {key: os.environ.get(key, value) for key, value in PARSE_ENV.items()}
    with temporary_env(parse_env):
        project.prepare_if_dev()
        if manifest_is_stale(project):
            project.preparer.prepare(project)


class CrmDatabase(dg.ConfigurableResource):
    """The CRM's PostgreSQL: `DATABASE_URL`, or the embedded server started on first use."""

    def engine(self) -> sa.Engine:
        """The process's pooled SQLAlchemy engine."""
        return database.get_engine()

    def migrate(self) -> None:
        """Apply the Alembic migrations that own `raw`, `app` and `ml` (idempotent)."""
        from crm.migrate import upgrade

        upgrade()

    @contextmanager
    def dbt_connection(self) -> Iterator[None]:
        """Expose this database to dbt subprocesses started inside the block."""
        with temporary_env(database.dbt_env()):
            yield


def build_resources() -> dict[str, dg.ConfigurableResource]:
    """The resources every asset, check and sensor here is written against."""
    return {
        "database": CrmDatabase(),
        "dbt": DbtCliResource(project_dir=dbt_project),
    }
