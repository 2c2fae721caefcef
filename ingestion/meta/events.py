"""The one shape every Meta channel parser produces: a `ChannelEvent` per landed row.

Parsers stay pure (dict in, events out) so they can be tested without a database and so
`raw.channel_events` has exactly one writer-facing contract: the fields below map 1:1 to
its columns. Helpers here are the small rules the three channels share (timestamps,
deterministic ids for kinds we do not know yet, structural checks that name the field).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

CHANNELS = ("whatsapp", "instagram", "messenger")
EVENT_TYPES = (
    "message",
    "reaction",
    "postback",
    "comment",
    "edit",
    "echo",
    "status",
    "receipt",
    "unknown",
)


class MetaPayloadError(ValueError):
    """A delivery that is not shaped like a Meta webhook; `field` names where it broke."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class MalformedJsonError(MetaPayloadError):
    """The body is not UTF-8 JSON at all."""


@dataclass(frozen=True, slots=True)
class ChannelEvent:
    """One row of raw.channel_events (without the ids the database assigns)."""

    channel: str
    event_type: str
    event_id: str
    direction: str
    payload: dict[str, Any] = field(compare=False)
    subtype: str | None = None
    account_id: str | None = None
    business_id: str | None = None
    person_id: str | None = None
    person_user_id: str | None = None
    person_username: str | None = None
    person_name: str | None = None
    occurred_at: datetime | None = None
    text: str | None = None
    reply_to: str | None = None


def canonical_json(value: Any) -> str:
    """Sorted-key compact JSON: the same object always gives the same text (and hash)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_id(value: Any) -> str:
    """sha256 of the canonical JSON: the id of an event that carries no id of its own."""
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def unknown_event(
    channel: str, obj: Any, subtype: str | None, account_id: str | None, **extra: Any
) -> ChannelEvent:
    """A valid but unrecognised kind, landed as `unknown` rather than dropped."""
    payload = obj if isinstance(obj, dict) else {"value": obj}
    return ChannelEvent(
        channel=channel,
        event_type="unknown",
        event_id=content_id(obj),
        direction="inbound",
        payload=payload,
        subtype=subtype,
        account_id=account_id,
        **extra,
    )


def to_utc(value: Any) -> datetime | None:
    """Meta timestamps as aware UTC: unix seconds or ms (number or string), or ISO 8601."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if number > 100_000_000_000:  # milliseconds (seconds only get this big in year 5138)
        number /= 1000
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def as_str(value: Any) -> str | None:
    """Ids arrive as strings or numbers; store them as text, keep None as None."""
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def dict_list(container: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """`container[key]` as a list of objects ([] when absent); anything else is malformed."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MetaPayloadError(f"{where}.{key} must be a list of objects", field=f"{where}.{key}")
    return value


def sub(obj: dict[str, Any], key: str) -> dict[str, Any]:
    """A nested object, or {} when absent or not an object (lenient reads of optional parts)."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}
