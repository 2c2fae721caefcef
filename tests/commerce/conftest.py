"""Fixtures for the commerce tests: Shopify sample bodies, signed posts, what raw holds.

The app itself (`api`, `client`) comes from tests/conftest.py.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from ingestion.commerce import sign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shopify"
TOPIC_FILES = {
    "checkouts/create": "checkouts_create",
    "checkouts/update": "checkouts_update",
    "orders/create": "orders_create",
    "orders/paid": "orders_paid",
    "orders/cancelled": "orders_cancelled",
    "refunds/create": "refunds_create",
}


@pytest.fixture
def shopify_sample() -> Callable[[str], bytes]:
    """The bytes of the sample body of a topic, e.g. shopify_sample("orders/paid")."""
    return lambda topic: (FIXTURES / f"{TOPIC_FILES[topic]}.json").read_bytes()


@pytest.fixture
def deliver(client: httpx.Client, api_env: dict[str, str]) -> Callable[..., httpx.Response]:
    """POST a body as Shopify delivers it: signed, with topic, webhook id and shop headers.

    Keyword headers override or add (underscores stand for dashes); None drops a header.
    """
    secret = api_env["COMMERCE_WEBHOOK_SECRET"]

    def send(topic: str, body: bytes | dict[str, Any], **headers: str | None) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent: dict[str, str | None] = {
            "Content-Type": "application/json",
            "X-Shopify-Hmac-Sha256": sign(raw, secret),
            "X-Shopify-Topic": topic,
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-Shop-Domain": "acme-pa.myshopify.com",
            "X-Shopify-API-Version": "2025-10",
        }
        sent |= {name.replace("_", "-"): value for name, value in headers.items()}
        kept = {name: value for name, value in sent.items() if value is not None}
        return client.post("/api/v1/webhooks/commerce", content=raw, headers=kept)

    return send


@pytest.fixture
def commerce_rows(db: str) -> Callable[[], list[tuple]]:
    """(topic, webhook_id, shop_domain, resource_id, occurred_at, body) rows in raw, by id."""

    def rows() -> list[tuple]:
        with psycopg.connect(db) as conn:
            return conn.execute(
                "select topic, webhook_id, shop_domain, resource_id, occurred_at, body "
                "from raw.commerce_events order by id"
            ).fetchall()

    return rows
