"""Handing a conversation to a person: pause the bot, record why with a summary, and tell
the agents with a signed webhook (retried with backoff until it is taken).

A handoff is opened at most once per conversation at a time (a unique index on the open
one); the notification is sent later by the worker, outside the transaction that opened
it, so a slow or down agent endpoint never holds up a customer's reply.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import timedelta

import httpx
import psycopg
from psycopg.rows import dict_row

log = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-CRM-Signature-256"
MAX_NOTIFY_ATTEMPTS = 8


@dataclass(frozen=True)
class Handoff:
    handoff_id: int
    created: bool


def summarize(
    conn: psycopg.Connection, conversation_id: int, reason: str, latest: str | None = None
) -> str:
    """A few lines an agent reads first: who, why, what they last said, what we understood
    (`latest`: the message being escalated, not logged yet)."""
    rows = conn.execute(
        "select e.text, p.intent, p.sentiment_score, c.channel, c.lead_id"
        " from app.conversations c"
        " left join app.processed_events p on p.conversation_id = c.conversation_id"
        "  and p.event_type in ('message', 'postback')"
        " left join raw.channel_events e on e.id = p.event_row_id"
        " where c.conversation_id = %s order by p.event_row_id desc nulls last limit 5",
        (conversation_id,),
    ).fetchall()
    if not rows:
        return f"Escalated: {reason}."
    channel, lead_id = rows[0][3], rows[0][4]
    said = [f'- "{latest}" (now)'] if latest else []
    said += [f'- "{text}" ({intent}, {score:+.2f})' for text, intent, score, *_ in rows if text]
    lines = [f"Escalated: {reason}.", f"Lead {lead_id} on {channel}."]
    if said:
        lines += ["Latest messages (newest first):", *said]
    return "\n".join(lines)


def open_handoff(
    conn: psycopg.Connection,
    conversation_id: int,
    reason: str,
    source: str,
    latest: str | None = None,
) -> Handoff:
    """Pause the bot and open a handoff (or return the one already open)."""
    conn.execute(
        "update app.conversations set bot_paused = true, route = 'human', updated_at = now()"
        " where conversation_id = %s",
        (conversation_id,),
    )
    summary = summarize(conn, conversation_id, reason, latest)
    row = conn.execute(
        "insert into app.handoffs (conversation_id, lead_id, reason, summary, source)"
        " select conversation_id, lead_id, %s, %s, %s from app.conversations"
        " where conversation_id = %s"
        " on conflict (conversation_id) where status = 'open' do nothing returning handoff_id",
        (reason, summary, source, conversation_id),
    ).fetchone()
    if row:
        return Handoff(row[0], True)
    existing = conn.execute(
        "select handoff_id from app.handoffs where conversation_id = %s and status = 'open'",
        (conversation_id,),
    ).fetchone()
    return Handoff(existing[0], False)


def sign(body: bytes, secret: str) -> str:
    """`sha256=<hex HMAC>` of the body, the same scheme Meta uses towards us."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notify_due(conn: psycopg.Connection, url: str | None, secret: str, http: httpx.Client) -> int:
    """POST each handoff whose notification is due; back off exponentially on failure."""
    if not url:
        return 0
    due = conn.execute(
        "select handoff_id, conversation_id, lead_id, reason, summary, created_at"
        " from app.handoffs where notify_status = 'pending' and notify_next_at <= now()"
        " order by handoff_id limit 20 for update skip locked",
    )
    sent = 0
    for handoff in due.fetchall():
        sent += _notify_one(conn, url, secret, http, handoff)
    return sent


def _notify_one(conn, url: str, secret: str, http: httpx.Client, handoff: tuple) -> int:
    handoff_id, conversation_id, lead_id, reason, summary, created_at = handoff
    body = json.dumps(
        {
            "event": "handoff.created",
            "handoff_id": handoff_id,
            "conversation_id": conversation_id,
            "lead_id": lead_id,
            "reason": reason,
            "summary": summary,
            "created_at": created_at.isoformat(),
        }
    ).encode()
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret)}
    try:
        response = http.post(url, content=body, headers=headers)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        _record_failure(conn, handoff_id, str(exc))
        return 0
    conn.execute(
        "update app.handoffs set notify_status = 'sent', notified_at = now(),"
        " notify_attempts = notify_attempts + 1 where handoff_id = %s",
        (handoff_id,),
    )
    return 1


def _record_failure(conn: psycopg.Connection, handoff_id: int, error: str) -> None:
    log.warning("handoff %s notification failed: %s", handoff_id, error)
    row = (
        conn.cursor(row_factory=dict_row)
        .execute("select notify_attempts from app.handoffs where handoff_id = %s", (handoff_id,))
        .fetchone()
    )
    attempts = row["notify_attempts"] + 1
    conn.execute(
        "update app.handoffs set notify_attempts = %s, notify_last_error = %s,"
        " notify_next_at = now() + %s,"
        " notify_status = case when %s >= %s then 'failed' else 'pending' end"
        " where handoff_id = %s",
        (
            attempts,
            error[:500],
            timedelta(seconds=2**attempts),
            attempts,
            MAX_NOTIFY_ATTEMPTS,
            handoff_id,
        ),
    )
