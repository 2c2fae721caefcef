"""Resources: the CRM database, resolved at run time, and the dbt CLI over our dbt project.

The database may be the embedded server, started on demand, so nothing here connects or
resolves a URL at import time. dbt reaches the database through the `CRM_PG_*` variables
that `dbt_project/profiles.yml` reads; they are set only while a dbt command runs.
"""

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import sqlalchemy as sa
from dagster_dbt import DbtCliResource, DbtProject

from crm import database
from crm.settings import PROJECT_ROOT, get_settings

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# `dbt parse` renders profiles.yml but never connects: these stand in for an unresolved URL.
PARSE_ENV = {
    "CRM_PG_HOST": "localhost",
    "CRM_PG_PORT": "5432",
    "CRM_PG_USER": "postgres",
    "CRM_PG_PASSWORD": "",
    "CRM_PG_DBNAME": "postgres",
    "CRM_PG_SSLMODE": "prefer",
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


def parse_env() -> dict[str, str]:
    """The connection dbt should parse with, found without starting any server.

    dbt's partial parsing is keyed on the connection: parsing with the one the run will use
    (DATABASE_URL, or a URL this process already resolved) spares each run a full re-parse.
    """
    if get_settings().database_url or database.database_url.cache_info().currsize:
        return database.dbt_env()
    return {key: os.environ.get(key, value) for key, value in PARSE_ENV.items()}


def manifest_is_stale(project: DbtProject, env: Mapping[str, str]) -> bool:
    """True when the manifest is missing, older than a project file, or parsed for another
    connection (recorded beside it in `target/crm_parse_env.sha256`)."""
    if not project.manifest_path.exists() or _parse_stamp(project).read_text() != _digest(env):
        return True
    built = project.manifest_path.stat().st_mtime
    folders = ("models", "macros", "seeds", "tests", "snapshots")
    sources = [project.project_dir / "dbt_project.yml"]
    sources += [p for f in folders for p in (project.project_dir / f).rglob("*") if p.is_file()]
    return any(path.stat().st_mtime > built for path in sources)


def prepare_manifest(project: DbtProject = dbt_project) -> None:
    """Make sure an up-to-date `target/manifest.json` exists before `@dbt_assets` reads it.

    Under `dagster dev`, `prepare_if_dev()` re-parses on every load to pick up edits;
    elsewhere the Makefile's `dbt parse` built it, and we parse again only if it is stale.
    """
    env = parse_env()
    with temporary_env(env):
        if project.preparer.using_dagster_dev():
            project.prepare_if_dev()
        elif manifest_is_stale(project, env):
            project.preparer.prepare(project)
    _parse_stamp(project).write_text(_digest(env))


def _parse_stamp(project: DbtProject) -> Path:
    """The file recording which connection the manifest was last parsed with."""
    stamp = project.project_dir / project.target_path / "crm_parse_env.sha256"
    if not stamp.exists():
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("")
    return stamp


def _digest(env: Mapping[str, str]) -> str:
    """A stable fingerprint of a connection (the password never written out)."""
    return hashlib.sha256(json.dumps(sorted(env.items())).encode()).hexdigest()


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
