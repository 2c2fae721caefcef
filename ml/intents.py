"""The contract's 11 intents, in one place: the corpus, the API schemas and the engine use it."""

from __future__ import annotations

INTENTS = (
    "greeting",
    "product_inquiry",
    "price_inquiry",
    "purchase_intent",
    "order_status",
    "payment",
    "support_request",
    "complaint",
    "cancellation_refund",
    "human_agent",
    "other",
)
