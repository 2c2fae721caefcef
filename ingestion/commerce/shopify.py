"""Shopify-format webhooks: the HMAC check, the headers, and what one delivery is about.

Pure functions, no database. `verify_hmac` runs on the exact bytes received, before any
parsing, so an unsigned or tampered body never reaches the JSON parser; `prepare_event`
then checks the headers and the body and returns the row `ingestion.commerce.landing`
writes. Shapes follow Shopify's public webhook docs: ids are integers, a checkout is
known by its string `token`, times are ISO 8601 with an offset.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

SOURCE = "shopify"
HMAC_HEADER = "X-Shopify-Hmac-Sha256"
TOPIC_HEADER = "X-Shopify-Topic"
WEBHOOK_ID_HEADER = "X-Shopify-Webhook-Id"
SHOP_HEADER = "X-Shopify-Shop-Domain"

# topic -> the body fields that identify its resource, first present wins
TOPICS: dict[str, tuple[str, ...]] = {
    "checkouts/create": ("token", "id"),
    "checkouts/update": ("token", "id"),
    "orders/create": ("id",),
    "orders/paid": ("id",),
    "orders/cancelled": ("id",),
    "refunds/create": ("id",),
}
TIME_FIELDS = ("updated_at", "created_at")


class CommercePayloadError(ValueError):
    """A delivery we refuse (400); `field` names the header or body field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MalformedCommerceJsonError(CommercePayloadError):
    """The body is not UTF-8 JSON at all."""


@dataclass(frozen=True, slots=True)
class CommerceEvent:
    """One row of raw.commerce_events (without the id the database assigns)."""

    source: str
    topic: str
    webhook_id: str
    shop_domain: str | None
    resource_id: str
    occurred_at: datetime | None
    body: str
    body_sha256: str
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def sign(body: bytes, secret: str) -> str:
    """The X-Shopify-Hmac-Sha256 value Shopify would send (tests, demo and bench use it)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_hmac(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is the base64 HMAC-SHA256 of `body` under `secret`."""
    if not header:
        return False
    return hmac.compare_digest(sign(body, secret).encode(), header.strip().encode())


def prepare_event(
    raw: bytes, topic: str | None, webhook_id: str | None, shop_domain: str | None
) -> CommerceEvent:
    """Check the headers and the (already verified) body; CommercePayloadError when refused."""
    topic = (topic or "").strip().lower()
    if topic not in TOPICS:
        known = ", ".join(TOPICS)
        raise CommercePayloadError(f"{TOPIC_HEADER} must be one of {known}", TOPIC_HEADER)
    webhook_id = (webhook_id or "").strip()
    if not webhook_id:
        raise CommercePayloadError(f"the {WEBHOOK_ID_HEADER} header is required", WEBHOOK_ID_HEADER)
    body = parse_body(raw)
    resource_id, occurred_at = extract_resource(topic, body)
    return CommerceEvent(
        source=SOURCE,
        topic=topic,
        webhook_id=webhook_id,
        shop_domain=(shop_domain or "").strip().lower() or None,
        resource_id=resource_id,
        occurred_at=occurred_at,
        body=raw.decode("utf-8"),
        body_sha256=hashlib.sha256(raw).hexdigest(),
    )


def parse_body(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object; MalformedCommerceJsonError / CommercePayloadError if not."""
    try:
        raw.decode("utf-8")
        body = orjson.loads(raw)
    except (UnicodeDecodeError, orjson.JSONDecodeError) as exc:
        raise MalformedCommerceJsonError(f"the body is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(body, dict):
        raise CommercePayloadError("the body must be a JSON object", "body")
    return body


def extract_resource(topic: str, body: dict[str, Any]) -> tuple[str, datetime | None]:
    """(resource_id, occurred_at) of a body: order id, checkout token or refund id, and
    `updated_at` or `created_at`. CommercePayloadError naming the field when missing."""
    keys = TOPICS[topic]
    for key in keys:
        resource_id = _identifier(body.get(key))
        if resource_id is not None:
            return resource_id, _occurred_at(body)
    raise CommercePayloadError(f"a {topic} body needs `{keys[0]}` (its id)", keys[0])


def _identifier(value: Any) -> str | None:
    """An id as text: a positive integer (Shopify's ids) or a non-empty string (tokens)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _occurred_at(body: dict[str, Any]) -> datetime | None:
    """The first of `updated_at`, `created_at` present; it must carry a UTC offset."""
    for name in TIME_FIELDS:
        value = body.get(name)
        if value is None:
            continue
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.utcoffset() is None:
            raise CommercePayloadError(f"`{name}` must be ISO 8601 with a UTC offset", name)
        return moment
    return None
