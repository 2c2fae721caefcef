"""Reaching a lead first: the channel, the recipient, and what Meta's rules allow to send.

Campaign flows (nurturing, cart recovery, payment reminders) start from a lead, a cart or
an invoice, not from a customer's message, so unlike a reply they must find where to
write and whether a free-form message is allowed at all. A conversation whose 24 h window
is open wins (its channel, thread and language); otherwise WhatsApp, the one channel where
an approved template may reopen the conversation, through the lead's WhatsApp thread or
its phone.
Every message is queued through the outbox, which refuses opted-out people; opt-outs are
also checked here so a flow can report why nothing went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from psycopg.rows import dict_row

from crm.conversation.outbox import Outbound, enqueue, opted_out, template_payload, text_payload
from crm.conversation.window import WINDOW, outside_window_kind, window_open

# A conversation whose 24 h window is open first (free text may go), then the preferred
# channels in order, then WhatsApp (where a template may still go), then the latest.
BEST_CONVERSATION_SQL = """
select * from (
    select conversation_id, channel, person_id, business_id, language, last_inbound_at,
           coalesce(last_inbound_at > %(window_from)s, false) as window_open
    from app.conversations
    where lead_id = %(lead_id)s
      and (%(channels)s::text[] is null or channel = any(%(channels)s))
) as conversation
order by window_open desc, array_position(%(channels)s::text[], channel),
         (not window_open and channel = 'whatsapp') desc,
         last_inbound_at desc nulls last, conversation_id desc
limit 1
"""
LEAD_OPTED_OUT_SQL = "select 1 from app.opt_outs where lead_id = %s limit 1"
LEAD_PHONE_SQL = """
select phone_e164 from marts.dim_leads where lead_id = %s and phone_e164 is not null
"""
WHATSAPP_NUMBER_SQL = """
select business_id from app.conversations
where channel = 'whatsapp' and business_id is not null
order by last_inbound_at desc nulls last limit 1
"""


@dataclass(frozen=True)
class Contact:
    """Where a lead can be written to."""

    lead_id: str | None
    channel: str
    recipient_id: str
    sender_id: str | None
    language: str
    last_inbound_at: datetime | None = None
    conversation_id: int | None = None


@dataclass(frozen=True)
class Message:
    """What a flow wants to say: free text inside the 24 h window, the approved WhatsApp
    template (its body parameters in order) outside it."""

    text: str
    template: str
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sent:
    """What became of one message: the outbox row and its kind, or None and why not."""

    outbox_id: int | None
    kind: str | None
    reason: str


def _whatsapp_number(conn: psycopg.Connection, configured: str | None) -> str | None:
    if configured:
        return configured
    row = conn.execute(WHATSAPP_NUMBER_SQL).fetchone()
    return row[0] if row else None


def find_contact(
    conn: psycopg.Connection,
    lead_id: str | None,
    phone_e164: str | None = None,
    language: str = "es",
    whatsapp_number_id: str | None = None,
    channels: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Contact | None:
    """Where to write to the lead at `now` (default: the clock): a conversation whose 24 h
    window is open, else its phone on WhatsApp (a template may go there; the lead's
    WhatsApp conversation, or the given phone, or its golden record's), else any of its
    conversations (which `send` will then explain it cannot use); None when the lead can
    be reached nowhere. `whatsapp_number_id`: the business number that writes first
    (default: the one customers wrote to most recently). `channels`: only these, in
    order of preference (empty: any)."""
    if channels and "whatsapp" not in channels:
        phone_e164 = None
    conversation = None
    if lead_id:
        keys = {
            "lead_id": lead_id,
            "channels": list(channels) or None,
            "window_from": (now or datetime.now(UTC)) - WINDOW,
        }
        row = conn.cursor(row_factory=dict_row).execute(BEST_CONVERSATION_SQL, keys)
        conversation = row.fetchone()
        if conversation and (conversation["window_open"] or conversation["channel"] == "whatsapp"):
            return _in(conversation, lead_id, language)
        if (
            phone_e164 is None
            and (not channels or "whatsapp" in channels)
            and conn.execute("select to_regclass('marts.dim_leads')").fetchone()[0]
        ):
            found = conn.execute(LEAD_PHONE_SQL, (lead_id,)).fetchone()
            phone_e164 = found[0] if found else None
    if not phone_e164:
        return _in(conversation, lead_id, language) if conversation else None
    wa_id = phone_e164.lstrip("+")
    return Contact(lead_id, "whatsapp", wa_id, _whatsapp_number(conn, whatsapp_number_id), language)


def _in(conversation: dict, lead_id: str, language: str) -> Contact:
    return Contact(
        lead_id,
        conversation["channel"],
        conversation["person_id"],
        conversation["business_id"],
        conversation["language"] or language,
        conversation["last_inbound_at"],
        conversation["conversation_id"],
    )


def send(
    conn: psycopg.Connection,
    contact: Contact,
    message: Message,
    purpose: str,
    idempotency_key: str,
    now: datetime,
) -> Sent:
    """Queue `message` for `contact` once per key, as the channel's rules allow."""
    if opted_out(conn, contact.channel, contact.recipient_id) or (
        contact.lead_id and conn.execute(LEAD_OPTED_OUT_SQL, (contact.lead_id,)).fetchone()
    ):  # an opt-out on any channel (or on a number written another way) covers the lead
        return Sent(None, None, "opted out")
    if window_open(contact.last_inbound_at, now):
        kind, body = "text", text_payload(contact.channel, contact.recipient_id, message.text)
    elif outside_window_kind(contact.channel) == "template":
        kind = "template"
        body = template_payload(
            contact.recipient_id, message.template, contact.language, message.parameters
        )
    else:
        return Sent(None, None, f"outside the 24 h window, no template on {contact.channel}")
    outbox_id = enqueue(
        conn,
        Outbound(
            channel=contact.channel,
            recipient_id=contact.recipient_id,
            kind=kind,
            body=body,
            purpose=purpose,
            idempotency_key=idempotency_key,
            sender_id=contact.sender_id,
            lead_id=contact.lead_id,
            conversation_id=contact.conversation_id,
        ),
    )
    if outbox_id is None:
        return Sent(None, kind, "already queued")
    return Sent(outbox_id, kind, f"{kind} queued")
