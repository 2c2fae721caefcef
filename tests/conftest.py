"""Shared fixtures: one real PostgreSQL database per test session, migrated, cleaned per test.

With `DATABASE_URL` set, a throw-away database is created on that server; without it, an
embedded server is started in a temporary folder. Either way the code under test reaches
it through `crm.database`, exactly as in production.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from crm import database, embedded


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server: the one in DATABASE_URL, or an embedded one started for the run."""
    given = os.environ.get("DATABASE_URL")
    if given:
        yield database._libpq_url(given)
        return
    # Its own folder, not pytest's: the server runs as another user and pytest's folders are
    # owner-only, which breaks initdb when two pytest runs overlap.
    home = Path(tempfile.mkdtemp(prefix="crm-test-home-"))
    url = embedded.ensure_running(home)
    yield url
    embedded.stop(home)
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh database on that server, migrated; every package is pointed at it."""
    name = f"crm_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    url = _with_database(server_url, name)
    saved = {k: os.environ.get(k) for k in ("DATABASE_URL", "CRM_HOME")}
    os.environ["DATABASE_URL"] = url
    os.environ["CRM_HOME"] = str(tmp_path_factory.mktemp("crm-state"))
    database.reset_caches()
    from crm.migrate import upgrade

    upgrade()
    yield url
    database.reset_caches()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
        )


def _with_database(url: str, name: str) -> str:
    """The same server URL with another database name."""
    head, _, tail = url.partition("://")
    authority, _, rest = tail.partition("/")
    _, _, query = rest.partition("?")
    return f"{head}://{authority}/{name}" + (f"?{query}" if query else "")


@pytest.fixture
def db(database_url: str) -> Iterator[str]:
    """The test database with `raw` and `app` emptied before the test."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables = conn.execute(
            "select format('%I.%I', schemaname, tablename) from pg_tables "
            "where schemaname in ('raw', 'app')"
        ).fetchall()
        if tables:
            conn.execute(
                "truncate " + ", ".join(t[0] for t in tables) + " restart identity cascade"
            )
    yield database_url


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root, for tests that read project files."""
    return Path(__file__).resolve().parent.parent
