"""Shopify webhook bodies (checkouts and orders) shaped as the shop sends them, and
landing them in `raw` the way the commerce webhook does."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from ingestion.commerce.landing import land_events
from ingestion.commerce.shopify import prepare_event

ITEMS = [
    {"id": 1, "title": "Laptop Pro 14", "quantity": 1, "price": "1199.00"},
    {"id": 2, "title": "USB-C Hub", "quantity": 2, "price": "35.50"},
]


def customer(n: int, first_name: str = "María") -> dict[str, Any]:
    return {
        "id": 5000 + n,
        "email": f"buyer{n}@example.com",
        "phone": f"+507600{n:05d}",
        "first_name": first_name,
        "last_name": "González",
    }


def checkout(
    n: int, created: datetime, updated: datetime, total: str = "1270.00", **fields: Any
) -> dict[str, Any]:
    token = f"tok{n:04d}"
    return {
        "id": 900000 + n,
        "token": token,
        "created_at": created.isoformat(),
        "updated_at": updated.isoformat(),
        "completed_at": None,
        "email": f"buyer{n}@example.com",
        "phone": f"+507600{n:05d}",
        "currency": "USD",
        "customer_locale": "es-PA",
        "total_price": total,
        "line_items": ITEMS,
        "abandoned_checkout_url": f"https://acme-pa.myshopify.com/checkouts/{token}/recover",
        "customer": customer(n),
        **fields,
    }


def order(n: int, created: datetime, total: str = "1270.00", **fields: Any) -> dict[str, Any]:
    return {
        "id": 820000 + n,
        "name": f"#{1000 + n}",
        "created_at": created.isoformat(),
        "updated_at": created.isoformat(),
        "checkout_token": f"tok{n:04d}",
        "email": f"buyer{n}@example.com",
        "currency": "USD",
        "total_price": total,
        "financial_status": "paid",
        "cancelled_at": None,
        "line_items": ITEMS,
        "customer": customer(n),
        **fields,
    }


def land(url: str, *events: tuple[str, dict[str, Any]]) -> None:
    """Land (topic, body) events as the commerce webhook would."""
    prepared = [
        prepare_event(json.dumps(body).encode(), topic, str(uuid.uuid4()), "acme-pa.myshopify.com")
        for topic, body in events
    ]
    land_events(url, prepared)
