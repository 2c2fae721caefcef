"""The outbox (`app.outbox`): the only way a message leaves, and what became of it.

Payloads are built here in the shape of each channel's send API (WhatsApp Cloud API,
Messenger / Instagram Send API) and stored as they will be posted, so the row is the
truth about what was (or, in dry run, would have been) sent. Each row has an idempotency
key (`reply:<channel>:<event_id>`, `followup:<conversation>:<n>` ...): a replayed step
queues nothing twice. Opted-out people are refused here, for every flow at once.
Delivery statuses only ever move forward (a late `sent` never replaces `read`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

# failed is terminal (as in dbt's status_rank macro): a late status never hides a failure
RANK_SQL = (
    "case {0} when 'sent' then 1 when 'delivered' then 2 when 'read' then 3"
    " when 'failed' then 4 else 0 end"
)


def text_payload(channel: str, recipient_id: str, text: str) -> dict[str, Any]:
    """A plain text message for the channel's send API."""
    if channel == "whatsapp":
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient_id,
            "type": "text",
            "text": {"preview_url": False, "body": text},
        }
    return {
        "recipient": {"id": recipient_id},
        "messaging_type": "RESPONSE",
        "message": {"text": text},
    }


def buttons_payload(
    channel: str, recipient_id: str, text: str, buttons: list[tuple[str, str]]
) -> dict[str, Any]:
    """A question with reply buttons: WhatsApp interactive buttons, Meta quick replies."""
    if channel == "whatsapp":
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient_id,
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": text},
                "action": {
                    "buttons": [
                        {"type": "reply", "reply": {"id": key, "title": title[:20]}}
                        for key, title in buttons
                    ]
                },
            },
        }
    quick = [{"content_type": "text", "title": t[:20], "payload": k} for k, t in buttons]
    return {
        "recipient": {"id": recipient_id},
        "messaging_type": "RESPONSE",
        "message": {"text": text, "quick_replies": quick},
    }


def template_payload(
    recipient_id: str, name: str, language: str, parameters: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An approved WhatsApp template (the only thing allowed outside the 24 h window),
    with its body's `{{1}}`, `{{2}}` ... filled by `parameters` in order."""
    template: dict[str, Any] = {"name": name, "language": {"code": language}}
    if parameters:
        values = [{"type": "text", "text": value} for value in parameters]
        template["components"] = [{"type": "body", "parameters": values}]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient_id,
        "type": "template",
        "template": template,
    }


def comment_reply_payload(text: str) -> dict[str, Any]:
    """A public reply under a comment (`kind` comment_reply): Facebook
    `POST /{comment-id}/comments`, Instagram `POST /{ig-comment-id}/replies`."""
    return {"message": text}


def private_reply_payload(comment_id: str, text: str) -> dict[str, Any]:
    """A private reply (`kind` private_reply): one DM to a commenter, addressed by the
    comment, through the Page's / IG account's `POST /{id}/messages`."""
    return {"recipient": {"comment_id": comment_id}, "message": {"text": text}}


def hide_comment_payload() -> dict[str, Any]:
    """Hide a comment (`kind` hide_comment): `POST /{comment-id}` on both platforms."""
    return {"is_hidden": True}


@dataclass(frozen=True)
class Outbound:
    """One message to queue."""

    channel: str
    recipient_id: str
    kind: str
    body: dict[str, Any]
    purpose: str
    idempotency_key: str
    sender_id: str | None = None
    lead_id: str | None = None
    conversation_id: int | None = None
    in_reply_to: str | None = None
    citations: list[str] = field(default_factory=list)


def opted_out(conn: psycopg.Connection, channel: str, person_id: str) -> bool:
    row = conn.execute(
        "select 1 from app.opt_outs where channel = %s and person_id = %s", (channel, person_id)
    ).fetchone()
    return row is not None


def enqueue(conn: psycopg.Connection, message: Outbound) -> int | None:
    """Queue a message once per idempotency key; None when refused (opt-out) or already there."""
    if message.purpose != "opt_out" and opted_out(conn, message.channel, message.recipient_id):
        return None
    row = conn.execute(
        "insert into app.outbox (channel, sender_id, recipient_id, lead_id, conversation_id,"
        " kind, purpose, body, citations, idempotency_key, in_reply_to, created_at)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, clock_timestamp())"
        " on conflict (idempotency_key) do nothing returning outbox_id",
        (
            message.channel,
            message.sender_id,
            message.recipient_id,
            message.lead_id,
            message.conversation_id,
            message.kind,
            message.purpose,
            Jsonb(message.body),
            Jsonb(message.citations),
            message.idempotency_key,
            message.in_reply_to,
        ),
    ).fetchone()
    return row[0] if row else None


APPLY_STATUSES_SQL = f"""
with latest as (
    select distinct on (reply_to) reply_to as provider_message_id, subtype as status,
           occurred_at, text as error
    from raw.channel_events
    where event_type = 'status' and reply_to = any(%(ids)s)
      and subtype in ('sent', 'delivered', 'read', 'failed')
    order by reply_to, {RANK_SQL.format("subtype")} desc, occurred_at desc
)
update app.outbox o
set status = latest.status, status_at = latest.occurred_at,
    last_error = case when latest.status = 'failed' then latest.error else o.last_error end
from latest
where o.provider_message_id = latest.provider_message_id
  and {RANK_SQL.format("latest.status")} > {RANK_SQL.format("o.status")}
"""


def apply_statuses(conn: psycopg.Connection, provider_message_ids: list[str]) -> int:
    """Bring these messages to their best status landed so far, in whatever order the
    status webhooks came; called on each status event and again when a send is recorded
    (a status can overtake the API's answer). Returns rows changed."""
    return conn.execute(APPLY_STATUSES_SQL, {"ids": provider_message_ids}).rowcount
