"""Fixtures for the Meta webhook tests: sample deliveries, signed posts, what raw holds.

The app itself (`api`, `client`, `start_app`) comes from tests/conftest.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from ingestion.meta import sign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meta"


@pytest.fixture
def sample() -> Callable[[str], bytes]:
    """The bytes of a sample delivery under tests/fixtures/meta, by name."""
    return lambda name: (FIXTURES / f"{name}.json").read_bytes()


@pytest.fixture
def post(client: httpx.Client, api_env: dict[str, str]) -> Callable[..., httpx.Response]:
    """POST a delivery signed the way Meta signs it (keyword headers override or add)."""
    secret = api_env["META_APP_SECRET"]

    def send(body: bytes | dict[str, Any], **headers: str) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, secret)}
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
