"""Messenger deliveries (`object: page`) into ChannelEvents.

entry[].messaging[] carries message (is_echo for the Page's own), postback, delivery and
read, parsed by the shared Messenger Platform rules (the customer's id is the PSID);
entry[].changes[] with field `feed` and item `comment` are comments on the Page's posts.
Other feed items (posts, likes, reactions) are landed as `unknown`, never dropped.
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

CHANNEL = "messenger"


def parse(body: dict[str, Any]) -> list[ChannelEvent]:
    """Every messaging item and change of every entry, in delivery order."""
    return parse_entries(CHANNEL, body, _change)


def _change(change: dict[str, Any], page_id: str | None, entry_time: Any) -> ChannelEvent:
    field, value = as_str(change.get("field")), sub(change, "value")
    if field == "feed" and value.get("item") == "comment" and value.get("comment_id"):
        return _comment(value, page_id, entry_time)
    subtype = f"{field}.{value['item']}" if field == "feed" and value.get("item") else field
    return unknown_event(CHANNEL, change, subtype, page_id)


def _comment(value: dict[str, Any], page_id: str | None, entry_time: Any) -> ChannelEvent:
    """A Page feed comment. `edited` is an edit of that comment (like an Instagram
    message_edit); `remove` and `hide` are landed as unknown so no message is counted twice."""
    author = sub(value, "from")
    author_id = as_str(author.get("id"))
    verb = as_str(value.get("verb")) or "add"
    comment_id = str(value["comment_id"])
    if verb not in ("add", "edited"):
        return unknown_event(CHANNEL, value, f"feed.comment.{verb}", page_id)
    own = bool(author_id) and author_id == page_id  # the Page answering: not a person
    edited = verb == "edited"
    return ChannelEvent(
        channel=CHANNEL,
        event_type="edit" if edited else "comment",
        subtype="feed",
        event_id=f"{comment_id}:edited:{value.get('created_time')}" if edited else comment_id,
        direction="outbound" if own else "inbound",
        payload=value,
        account_id=page_id,
        business_id=page_id,
        person_id=None if own else author_id,
        person_name=as_str(author.get("name")),
        occurred_at=to_utc(value.get("created_time") or entry_time),
        text=as_str(value.get("message")),
        reply_to=comment_id if edited else as_str(value.get("parent_id")),
    )
