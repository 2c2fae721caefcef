"""Run the real app under uvicorn in a subprocess and talk to it over HTTP.

The server gets the test database and known Meta secrets through the environment, the
same way `crm serve` configures it; nothing of ours is mocked.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from ingestion.meta import sign

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "meta"
SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
MAX_BYTES = 65_536


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(env: dict[str, str], log: Path) -> Iterator[str]:
    """Start `uvicorn api.main:create_app` on a free port; yield its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
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


@pytest.fixture(scope="module")
def api(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the app running against the test database."""
    env = {
        "DATABASE_URL": database_url,
        "META_APP_SECRET": SECRET,
        "META_VERIFY_TOKEN": VERIFY_TOKEN,
        "WEBHOOK_MAX_BYTES": str(MAX_BYTES),
    }
    with running_app(env, tmp_path_factory.mktemp("api") / "server.log") as base:
        yield base


@pytest.fixture
def client(api: str, db: str) -> Iterator[httpx.Client]:
    """An HTTP client for the app, with raw and app emptied first."""
    with httpx.Client(base_url=api, timeout=10) as http:
        yield http


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """The bytes of a sample delivery under tests/fixtures/meta, by name."""
    return lambda name: (FIXTURES / f"{name}.json").read_bytes()


@pytest.fixture
def post(client: httpx.Client) -> Callable[..., httpx.Response]:
    """POST a delivery signed the way Meta signs it (keyword headers override or add)."""

    def send(body: bytes | dict[str, Any], **headers: str) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)}
        return client.post("/api/v1/webhooks/inbound", content=raw, headers=sent | headers)

    return send


@pytest.fixture
def stored(db: str) -> Callable[[], tuple[int, int]]:
    """(deliveries, events) currently in raw."""

    def count() -> tuple[int, int]:
        with psycopg.connect(db) as conn:
            return (
                conn.execute("select count(*) from raw.webhook_deliveries").fetchone()[0],
                conn.execute("select count(*) from raw.channel_events").fetchone()[0],
            )

    return count


@pytest.fixture
def start_app() -> Callable[[dict[str, str], Path], AbstractContextManager[str]]:
    """`running_app` for tests that need an app of their own (e.g. with no database)."""
    return running_app


@pytest.fixture
def unused_port() -> int:
    return free_port()
