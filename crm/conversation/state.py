"""A conversation's live state (`app.conversations`): found or opened, locked, updated.

The row is locked for the length of a message's processing, so two workers never
interleave the same customer's messages, and the low-confidence streak, counters and
language stay consistent.
"""

from __future__ import annotations

import time
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from crm.conversation.identity import resolve_lead
from crm.conversation.routing import RouteDecision
from crm.conversation.understanding import Understanding

SELECT = "select * from app.conversations where channel = %s and person_id = %s for update"


def open_conversation(conn: psycopg.Connection, event: dict, person_ids: list[str]) -> dict:
    """The sender's conversation on this channel, locked; created (with its lead) if new."""
    cur = conn.cursor(row_factory=dict_row)
    key = (event["channel"], person_ids[0])
    row = cur.execute(SELECT, key).fetchone()
    if row:
        return row
    lead_id = resolve_lead(conn, event["channel"], person_ids, event.get("text"))
    cur.execute(
        "insert into app.conversations (channel, person_id, business_id, lead_id, started_at)"
        " values (%s, %s, %s, %s, coalesce(%s, now())) on conflict do nothing",
        (*key, event.get("business_id"), lead_id, event.get("occurred_at")),
    )
    return cur.execute(SELECT, key).fetchone()


def record_inbound(
    conn: psycopg.Connection,
    conversation: dict,
    understood: Understanding,
    decision: RouteDecision,
    low_confidence: bool,
    at: datetime,
) -> None:
    """Fold one inbound message into the state."""
    conn.execute(
        "update app.conversations set language = %(language)s, last_intent = %(intent)s,"
        " low_confidence_streak = case when %(low)s then low_confidence_streak + 1 else 0 end,"
        " message_count = message_count + 1, route = %(route)s, priority = %(priority)s,"
        " last_inbound_at = greatest(last_inbound_at, %(at)s), status = 'open',"
        " followups_sent = 0, updated_at = now() where conversation_id = %(id)s",
        {
            "language": understood.language,
            "intent": understood.intent,
            "low": low_confidence,
            "route": decision.route,
            "priority": decision.priority,
            "at": at,
            "id": conversation["conversation_id"],
        },
    )


def record_outbound(conn: psycopg.Connection, conversation_id: int, at: datetime) -> None:
    conn.execute(
        "update app.conversations set last_outbound_at = greatest(last_outbound_at, %s),"
        " updated_at = now() where conversation_id = %s",
        (at, conversation_id),
    )


class LeadTiers:
    """Lead tiers from `marts.dim_leads` (the lead-score issue), read once per lead per
    `ttl` seconds: the marts change with each pipeline run, not per message."""

    def __init__(self, ttl: float = 600.0) -> None:
        self.ttl = ttl
        self._seen: dict[str, tuple[str | None, float]] = {}

    def get(self, conn: psycopg.Connection, lead_id: str) -> str | None:
        tier, expires = self._seen.get(lead_id, (None, 0.0))
        if expires < time.monotonic():
            tier = self._read(conn, lead_id)
            self._seen[lead_id] = (tier, time.monotonic() + self.ttl)
        return tier

    @staticmethod
    def _read(conn: psycopg.Connection, lead_id: str) -> str | None:
        if not conn.execute("select to_regclass('marts.dim_leads')").fetchone()[0]:
            return None
        row = conn.execute(
            "select to_jsonb(d) ->> 'lead_tier' from marts.dim_leads d where lead_id = %s",
            (lead_id,),
        ).fetchone()
        return row[0] if row else None


def history(conn: psycopg.Connection, conversation_id: int, limit: int = 6) -> list[dict]:
    """The last messages both ways, oldest first, as chat turns (for the LLM)."""
    rows = conn.execute(
        "select * from (select e.received_at as at, 'user' as role, e.text from"
        " app.processed_events p join raw.channel_events e on e.id = p.event_row_id"
        " where p.conversation_id = %(id)s and e.text is not null"
        " union all select created_at, 'assistant', coalesce(body #>> '{text,body}',"
        " body #>> '{message,text}') from app.outbox where conversation_id = %(id)s) turns"
        " where text is not null order by at desc limit %(limit)s",
        {"id": conversation_id, "limit": limit},
    ).fetchall()
    return [{"role": role, "content": text} for _, role, text in reversed(rows)]
