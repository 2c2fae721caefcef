"""Instagram deliveries (`object: instagram`) into ChannelEvents.

entry[].messaging[] carries DMs (message with text or attachments, is_echo, message_edit,
reaction, postback, read), parsed by the shared Messenger Platform rules; entry[].changes[]
carries `comments` (from.id is the commenter's IGSID, from.username their handle) and
`mentions` (the business was @-mentioned in a comment or caption).
"""

from __future__ import annotations

from typing import Any

from ingestion.meta.events import (
    ChannelEvent,
    as_str,
    sub,
    to_utc,
    unknown_event,
)
from ingestion.meta.messaging import parse_entries

CHANNEL = "instagram"


def parse(body: dict[str, Any]) -> list[ChannelEvent]:
    """Every messaging item and change of every entry, in delivery order."""
    return parse_entries(CHANNEL, body, _change)


def _change(change: dict[str, Any], account_id: str | None, entry_time: Any) -> ChannelEvent:
    field, value = as_str(change.get("field")), sub(change, "value")
    if field == "comments" and value.get("id"):
        return _comment(value, account_id, entry_time)
    if field == "mentions" and (value.get("comment_id") or value.get("media_id")):
        return ChannelEvent(
            channel=CHANNEL,
            event_type="comment",
            subtype="mentions",
            event_id=str(value.get("comment_id") or value.get("media_id")),
            direction="inbound",
            payload=value,
            account_id=account_id,
            business_id=account_id,
            occurred_at=to_utc(value.get("created_time") or entry_time),
            reply_to=as_str(value.get("media_id")),
        )
    return unknown_event(CHANNEL, change, field, account_id)


def _comment(value: dict[str, Any], account_id: str | None, entry_time: Any) -> ChannelEvent:
    """A comment on the business's media; a reply carries parent_id, the comment it answers."""
    author = sub(value, "from")
    author_id = as_str(author.get("id"))
    own = bool(author_id) and author_id == account_id  # the business answering: not a person
    return ChannelEvent(
        channel=CHANNEL,
        event_type="comment",
        subtype="comments",
        event_id=str(value["id"]),
        direction="outbound" if own else "inbound",
        payload=value,
        account_id=account_id,
        business_id=account_id,
        person_id=None if own else author_id,
        person_username=as_str(author.get("username")),
        person_name=as_str(author.get("name")),
        occurred_at=to_utc(value.get("created_time") or entry_time),
        text=as_str(value.get("text")),
        reply_to=as_str(value.get("parent_id")),
    )
