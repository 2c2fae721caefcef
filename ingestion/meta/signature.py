"""Meta's `X-Hub-Signature-256` check: HMAC-SHA256 of the raw body with the app secret.

Done on the exact bytes received, before any parsing, with a constant-time comparison,
so an unsigned or tampered body never reaches the JSON parser or the database.
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, secret: str) -> str:
    """The header value Meta would send for `body` (used by tests, the demo and the bench)."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, header: str | None, secret: str) -> bool:
    """True when `header` is `sha256=<hex>` and matches the body's HMAC under `secret`."""
    if not header or not header.startswith(PREFIX):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len(PREFIX) :].strip().lower())
