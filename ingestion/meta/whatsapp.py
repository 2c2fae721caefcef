"""WhatsApp Cloud API deliveries (`object: whatsapp_business_account`) into ChannelEvents.

Shapes follow Meta's webhook reference: entry[].changes[].value carries `metadata`
(the business phone number hit), `contacts` (profile name, `wa_id` and, since 2026, the
business-scoped `user_id`; either id may be absent), `messages`, `statuses` and `errors`.
Coexistence echoes (`message_echoes`) are the business's own messages. Anything else is
landed as `unknown` so no valid delivery is dropped.
"""

from __future__ import annotations

from typing import Any

from ingestion.meta.events import (
    ChannelEvent,
    as_str,
    dict_list,
    sub,
    to_utc,
    unknown_event,
)

CHANNEL = "whatsapp"
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")


def parse(body: dict[str, Any]) -> list[ChannelEvent]:
    """Every message, status, echo and unknown change of every entry, in delivery order."""
    events: list[ChannelEvent] = []
    for i, entry in enumerate(dict_list(body, "entry", "body")):
        account_id = as_str(entry.get("id"))
        for j, change in enumerate(dict_list(entry, "changes", f"entry[{i}]")):
            events.extend(_change(change, account_id, f"entry[{i}].changes[{j}]"))
    return events


def _change(change: dict[str, Any], account_id: str | None, where: str) -> list[ChannelEvent]:
    value = change.get("value")
    known = ("messages", "statuses", "errors", "message_echoes")
    if not isinstance(value, dict) or not any(key in value for key in known):
        return [unknown_event(CHANNEL, change, as_str(change.get("field")), account_id)]
    business_id = as_str(sub(value, "metadata").get("phone_number_id"))
    contacts = dict_list(value, "contacts", f"{where}.value")
    ctx = {"account_id": account_id, "business_id": business_id}
    events = [_message(m, contacts, ctx) for m in dict_list(value, "messages", f"{where}.value")]
    events += [_echo(m, ctx) for m in dict_list(value, "message_echoes", f"{where}.value")]
    events += [_status(s, ctx) for s in dict_list(value, "statuses", f"{where}.value")]
    events += [
        unknown_event(CHANNEL, e, "error", account_id, business_id=business_id)
        for e in dict_list(value, "errors", f"{where}.value")
    ]
    return events


def _contact_for(message: dict[str, Any], contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """The contacts[] item describing the sender (by wa_id or user_id; the only one if one)."""
    for contact in contacts:
        if message.get("from") and contact.get("wa_id") == message.get("from"):
            return contact
        if message.get("from_user_id") and contact.get("user_id") == message.get("from_user_id"):
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def _message(msg: dict[str, Any], contacts: list[dict], ctx: dict[str, Any]) -> ChannelEvent:
    contact = _contact_for(msg, contacts)
    kind = as_str(msg.get("type")) or "unknown"
    person = {
        "person_id": as_str(contact.get("wa_id") or msg.get("from")),
        "person_user_id": as_str(contact.get("user_id") or msg.get("from_user_id")),
        "person_name": as_str(sub(contact, "profile").get("name")),
        "person_username": as_str(sub(contact, "profile").get("username")),
    }
    payload = {**msg, "_contact": contact} if contact else dict(msg)
    wamid = as_str(msg.get("id"))
    if wamid is None:
        return unknown_event(CHANNEL, payload, f"message.{kind}", ctx["account_id"], **person)
    common = dict(
        channel=CHANNEL,
        event_id=wamid,
        direction="inbound",
        payload=payload,
        occurred_at=to_utc(msg.get("timestamp")),
        **ctx,
        **person,
    )
    if kind == "reaction":
        reaction = sub(msg, "reaction")
        emoji = as_str(reaction.get("emoji"))
        return ChannelEvent(
            event_type="reaction",
            subtype="react" if emoji else "unreact",
            text=emoji,
            reply_to=as_str(reaction.get("message_id")),
            **common,
        )
    subtype = kind
    if kind == "interactive":
        subtype = f"interactive.{sub(msg, 'interactive').get('type', 'unknown')}"
    return ChannelEvent(
        event_type="message",
        subtype=subtype,
        text=message_text(msg, kind),
        reply_to=as_str(sub(msg, "context").get("id")),
        **common,
    )


def message_text(msg: dict[str, Any], kind: str) -> str | None:
    """The human-readable text of a message: body, caption, button or reply title, order note."""
    content = sub(msg, kind)
    if kind == "text":
        return as_str(content.get("body"))
    if kind == "interactive":
        reply = sub(content, as_str(content.get("type")) or "")
        return as_str(reply.get("title") or reply.get("body"))
    if kind == "location":
        return as_str(content.get("name") or content.get("address"))
    for key in ("caption", "text", "body", "title"):
        if isinstance(content.get(key), str):
            return content[key]
    return None


def _echo(msg: dict[str, Any], ctx: dict[str, Any]) -> ChannelEvent:
    """A message the business sent from the WhatsApp Business app (coexistence echo)."""
    kind = as_str(msg.get("type")) or "unknown"
    wamid = as_str(msg.get("id"))
    if wamid is None:
        return unknown_event(CHANNEL, msg, f"echo.{kind}", ctx["account_id"])
    return ChannelEvent(
        channel=CHANNEL,
        event_type="echo",
        event_id=wamid,
        direction="outbound",
        payload=msg,
        subtype=kind,
        person_id=as_str(msg.get("to")),
        person_user_id=as_str(msg.get("to_user_id")),
        occurred_at=to_utc(msg.get("timestamp")),
        text=message_text(msg, kind),
        reply_to=as_str(sub(msg, "context").get("id")),
        **ctx,
    )


def _status(status: dict[str, Any], ctx: dict[str, Any]) -> ChannelEvent:
    """sent / delivered / read / failed for a message the business sent; id = wamid:status."""
    wamid, value = as_str(status.get("id")), as_str(status.get("status"))
    if wamid is None or value is None:
        return unknown_event(CHANNEL, status, "status", ctx["account_id"])
    errors = status.get("errors") if isinstance(status.get("errors"), list) else []
    first_error = errors[0] if errors and isinstance(errors[0], dict) else {}
    return ChannelEvent(
        channel=CHANNEL,
        event_type="status",
        event_id=f"{wamid}:{value}",
        direction="outbound",
        payload=status,
        subtype=value,
        person_id=as_str(status.get("recipient_id")),
        person_user_id=as_str(status.get("recipient_user_id")),
        occurred_at=to_utc(status.get("timestamp")),
        reply_to=wamid,
        text=as_str(first_error.get("message") or first_error.get("title")),
        **ctx,
    )
