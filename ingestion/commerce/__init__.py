"""Commerce webhooks (Shopify format): verify, parse, and land them in raw.commerce_events.

Outcomes (carts, orders, refunds) are what the scoring models learn from; this package
brings them in the same way `ingestion.meta` brings in messages: pure checks on the raw
bytes first (`shopify`), then one idempotent insert (`landing`).
"""

from ingestion.commerce.landing import land_event, land_events
from ingestion.commerce.shopify import (
    TOPICS,
    CommerceEvent,
    CommercePayloadError,
    MalformedCommerceJsonError,
    extract_resource,
    prepare_event,
    sign,
    verify_hmac,
)

__all__ = [
    "TOPICS",
    "CommerceEvent",
    "CommercePayloadError",
    "MalformedCommerceJsonError",
    "extract_resource",
    "land_event",
    "land_events",
    "prepare_event",
    "sign",
    "verify_hmac",
]
