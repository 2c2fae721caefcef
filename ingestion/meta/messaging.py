"""The Messenger Platform `messaging[]` events that Instagram and Messenger share.

Both channels deliver entry[].messaging[] items with `sender`, `recipient`, `timestamp`
(ms) and one kind key: message (is_echo for the business's own), message_edit, reaction,
postback, delivery, read. The customer is the sender of inbound events and the recipient
of echoes; ids follow the contract so a redelivery maps to the same row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ingestion.meta.events import ChannelEvent, as_str, dict_list, sub, to_utc, unknown_event

ENVELOPE = ("sender", "recipient", "timestamp")
ChangeParser = Callable[[dict[str, Any], str | None, Any], ChannelEvent]


def parse_entries(channel: str, body: dict[str, Any], change: ChangeParser) -> list[ChannelEvent]:
    """Every messaging, standby and change item of every entry, in delivery order.

    The entry layout is the same on both channels; only their `changes` differ, so each
    channel passes its own `change(change, account_id, entry_time)`.
    """
    events: list[ChannelEvent] = []
    for i, entry in enumerate(dict_list(body, "entry", "body")):
        account_id = as_str(entry.get("id"))
        for item in dict_list(entry, "messaging", f"entry[{i}]"):
            events.append(parse_messaging(channel, item, account_id))
        for item in dict_list(entry, "standby", f"entry[{i}]"):
            events.append(unknown_event(channel, item, "standby", account_id))
        for item in dict_list(entry, "changes", f"entry[{i}]"):
            events.append(change(item, account_id, entry.get("time")))
    return events


def parse_messaging(channel: str, item: dict[str, Any], account_id: str | None) -> ChannelEvent:
    """One messaging item as an event; an unrecognised kind becomes `unknown`."""
    sender = as_str(sub(item, "sender").get("id"))
    recipient = as_str(sub(item, "recipient").get("id"))
    base = dict(
        channel=channel,
        payload=item,
        account_id=account_id,
        occurred_at=to_utc(item.get("timestamp")),
    )
    inbound = dict(base, direction="inbound", business_id=recipient, person_id=sender)
    message = sub(item, "message")
    if message.get("is_echo") and message.get("mid"):
        return _message(
            message,
            dict(base, direction="outbound", business_id=sender, person_id=recipient),
            "echo",
        )
    if message.get("mid") and not message.get("is_deleted"):
        return _message(message, inbound, "message")
    builders = {
        "message_edit": _edit,
        "reaction": _reaction,
        "postback": _postback,
        "delivery": _receipt,
        "read": _receipt,
    }
    for key, build in builders.items():
        if isinstance(item.get(key), dict):
            event = build(key, item, inbound)
            if event is not None:
                return event
    kind = next((k for k in item if k not in ENVELOPE), None)
    return unknown_event(channel, item, kind, account_id, business_id=recipient, person_id=sender)


def _message(message: dict[str, Any], common: dict[str, Any], event_type: str) -> ChannelEvent:
    attachments = message.get("attachments")
    first = attachments[0] if isinstance(attachments, list) and attachments else None
    if isinstance(first, dict):
        subtype = as_str(first.get("type"))
    else:
        subtype = "quick_reply" if message.get("quick_reply") else "text"
    return ChannelEvent(
        event_type=event_type,
        event_id=str(message["mid"]),
        subtype=subtype,
        text=as_str(message.get("text")),
        reply_to=as_str(sub(message, "reply_to").get("mid")),
        **common,
    )


def _edit(key: str, item: dict[str, Any], common: dict[str, Any]) -> ChannelEvent | None:
    edit = item[key]
    if not edit.get("mid"):
        return None
    return ChannelEvent(
        event_type="edit",
        event_id=f"{edit['mid']}:{edit.get('num_edit', 0)}",
        text=as_str(edit.get("text")),
        reply_to=as_str(edit["mid"]),
        **common,
    )


def _reaction(key: str, item: dict[str, Any], common: dict[str, Any]) -> ChannelEvent | None:
    reaction = item[key]
    mid, action = as_str(reaction.get("mid")), as_str(reaction.get("action")) or "react"
    if mid is None:
        return None
    return ChannelEvent(
        event_type="reaction",
        event_id=f"{mid}:{common['person_id']}:{action}:{item.get('timestamp')}",
        subtype=action,
        text=as_str(reaction.get("emoji") or reaction.get("reaction")),
        reply_to=mid,
        **common,
    )


def _postback(key: str, item: dict[str, Any], common: dict[str, Any]) -> ChannelEvent:
    postback = item[key]
    event_id = as_str(postback.get("mid")) or (
        f"{common['person_id']}:{item.get('timestamp')}:{postback.get('payload')}"
    )
    return ChannelEvent(
        event_type="postback",
        event_id=event_id,
        subtype=as_str(postback.get("payload")),
        text=as_str(postback.get("title")),
        **common,
    )


def _receipt(key: str, item: dict[str, Any], common: dict[str, Any]) -> ChannelEvent | None:
    """Messenger delivery (mids + watermark), Messenger read (watermark), Instagram read (mid)."""
    receipt = item[key]
    mids = receipt.get("mids") if isinstance(receipt.get("mids"), list) else []
    mark = receipt.get("watermark") or receipt.get("mid") or (mids[0] if mids else None)
    if mark is None:
        return None
    reply_to = as_str(receipt.get("mid") or (mids[-1] if mids else None))
    return ChannelEvent(
        event_type="receipt",
        event_id=f"{common['person_id']}:{key}:{mark}",
        subtype=key,
        reply_to=reply_to,
        **common,
    )
