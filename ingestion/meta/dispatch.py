"""Route a Meta delivery to its channel's parser by the payload's `object` field.

The only entry point the API and the landing code need: a parsed JSON body in, a list of
ChannelEvents out, or a MetaPayloadError that says what is wrong (the API answers 400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ingestion.meta import instagram, messenger, whatsapp
from ingestion.meta.events import ChannelEvent, MetaPayloadError

PARSERS: dict[str, Callable[[dict[str, Any]], list[ChannelEvent]]] = {
    "whatsapp_business_account": whatsapp.parse,
    "instagram": instagram.parse,
    "page": messenger.parse,
}


def parse_delivery(body: Any) -> list[ChannelEvent]:
    """All events of one delivery; raises MetaPayloadError for a body Meta would not send."""
    check_envelope(body)
    return PARSERS[body["object"]](body)


def check_envelope(body: Any) -> str:
    """The delivery's `object` after checking it is an object with a known `object` and entry[]."""
    if not isinstance(body, dict):
        raise MetaPayloadError("the body must be a JSON object")
    obj = body.get("object")
    if not isinstance(obj, str) or not obj:
        raise MetaPayloadError("the body has no `object` field", field="object")
    if obj not in PARSERS:
        known = ", ".join(sorted(PARSERS))
        raise MetaPayloadError(f"unknown object {obj!r}; expected one of {known}", field="object")
    if not isinstance(body.get("entry"), list):
        raise MetaPayloadError("the body has no `entry` list", field="entry")
    return obj
