"""Shared fixtures: one real PostgreSQL database per test session, migrated, cleaned per test,
and the real app under uvicorn for the tests that talk HTTP to it.

With `DATABASE_URL` set, a throw-away database is created on that server; without it, an
embedded server is started in a temporary folder. Either way the code under test reaches
it through `crm.database`, exactly as in production. The app gets the test database and
known secrets through the environment, the same way `crm serve` configures it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql

from crm import database, embedded
from crm.demo.server import free_port


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


def _empty_landing(conn: psycopg.Connection) -> None:
    """Truncate every table of `raw` and `app` (what a test starts from), and the identity
    matcher's output, which would otherwise hand an earlier test's lead ids to dbt."""
    tables = conn.execute(
        "select format('%I.%I', schemaname, tablename) from pg_tables "
        "where schemaname in ('raw', 'app') or (schemaname = 'ml' and tablename in "
        "('identity_links', 'identity_pairs', 'lead_id_history'))"
    ).fetchall()
    if tables:
        conn.execute("truncate " + ", ".join(t[0] for t in tables) + " restart identity cascade")


@pytest.fixture(scope="session")
def empty_landing() -> Callable[[psycopg.Connection], None]:
    """The cleaning `db` does, for module-scoped fixtures that land their own rows."""
    return _empty_landing


@pytest.fixture(scope="session")
def land_contacts_and_chats(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, list[dict]], None]:
    """Start a small known world: `raw` and `app` emptied, a contacts CSV imported (its
    text) and Meta webhook bodies (dicts) landed, as the import and the webhooks would."""
    from ingestion.contacts import import_contacts
    from ingestion.landing import land, prepare_delivery

    def _land(csv_text: str, deliveries: list[dict]) -> None:
        with psycopg.connect(database_url, autocommit=True) as conn:
            _empty_landing(conn)
        csv = tmp_path_factory.mktemp("csv") / "contacts.csv"
        csv.write_text(csv_text, encoding="utf-8")
        import_contacts(csv)
        land(database_url, [prepare_delivery(json.dumps(body).encode()) for body in deliveries])

    return _land


@pytest.fixture(scope="session")
def check_outcomes() -> Callable[..., dict[str, bool]]:
    """Check name -> passed, for every asset check a Dagster run evaluated."""
    import dagster as dg

    def _outcomes(result: dg.ExecuteInProcessResult) -> dict[str, bool]:
        return {
            event.event_specific_data.check_name: event.event_specific_data.passed
            for event in result.all_events
            if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
        }

    return _outcomes


@pytest.fixture
def db(database_url: str) -> Iterator[str]:
    """The test database with `raw` and `app` emptied before the test."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        _empty_landing(conn)
    yield database_url


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root, for tests that read project files."""
    return Path(__file__).resolve().parent.parent


API_ENV = {
    "META_APP_SECRET": "test-app-secret",
    "META_VERIFY_TOKEN": "test-verify-token",
    "COMMERCE_WEBHOOK_SECRET": "test-commerce-secret",
    "WEBHOOK_MAX_BYTES": "65536",
    "CRM_BENCH_ENDPOINT": "1",
    "CRM_API_KEYS": "test-api-key,second-test-key",
    "CONVERSATION_TEXT_MODELS": "keywords",  # the conversation endpoints' fixed local rules
}
API_KEY = "test-api-key"


@contextmanager
def running_app(env: dict[str, str], log: Path) -> Iterator[str]:
    """Start `uvicorn api.main:create_app` on a free port; yield its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "api.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    root = Path(__file__).resolve().parent.parent
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=root, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # importing the app takes a minute on a busy host
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the app exited: {log.read_text()}")
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the app did not start: {log.read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def api_env() -> dict[str, str]:
    """The secrets and limits the `api` app runs with (tests sign with these)."""
    return dict(API_ENV)


@pytest.fixture(scope="module")
def api(
    database_url: str, api_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Base URL of the app running against the test database (and an empty MLflow store)."""
    folder = tmp_path_factory.mktemp("api")
    mlflow = f"sqlite:///{folder / 'mlflow' / 'mlflow.db'}"
    env = {"DATABASE_URL": database_url, "MLFLOW_TRACKING_URI": mlflow, **api_env}
    with running_app(env, folder / "server.log") as base:
        yield base


@pytest.fixture
def api_client(api: str) -> Iterator[httpx.Client]:
    """An HTTP client for the app that sends an internal API key (`X-API-Key`)."""
    with httpx.Client(base_url=api, timeout=10, headers={"X-API-Key": API_KEY}) as http:
        yield http


@pytest.fixture
def client(api_client: httpx.Client, db: str) -> httpx.Client:
    """`api_client`, with `raw` and `app` emptied first."""
    return api_client


@pytest.fixture
def start_app() -> Callable[[dict[str, str], Path], AbstractContextManager[str]]:
    """`running_app` for tests that need an app of their own (e.g. with no database)."""
    return running_app


@pytest.fixture
def unused_port() -> int:
    return free_port()
