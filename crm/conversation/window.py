"""Meta's customer service window: free-form messages only within 24 h of the customer's
last message; after that WhatsApp allows only an approved template (and Messenger /
Instagram nothing without a message tag, which this engine does not use)."""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(hours=24)


def window_open(last_inbound_at: datetime | None, now: datetime) -> bool:
    """True while a free-form message may still be sent."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


def outside_window_kind(channel: str) -> str | None:
    """What may be sent outside the window: a template on WhatsApp, nothing elsewhere."""
    return "template" if channel == "whatsapp" else None
