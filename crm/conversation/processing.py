"""One landed event through the engine: an inbound message is attached to its lead,
understood, folded into the conversation, routed, and answered through the outbox; a
status or receipt moves the outbound message it refers to forward.

Everything here runs inside the worker's transaction for that event and writes only rows
keyed by unique constraints, so a crash anywhere replays the event from scratch with
nothing written twice (see `worker`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from psycopg.types.json import Jsonb

from crm.comments.respond import Comment
from crm.comments.respond import respond as respond_to_comment
from crm.conversation import bot, closure, state
from crm.conversation.closure import closing_signal
from crm.conversation.config import EngineConfig
from crm.conversation.escalation import open_handoff
from crm.conversation.optout import is_opt_out, record_opt_out
from crm.conversation.outbox import Outbound, apply_statuses, buttons_payload, enqueue, text_payload
from crm.conversation.replies import Reply, phrase
from crm.conversation.routing import RouteDecision, RouteInput, route
from crm.conversation.understanding import Reading, Understanding, understand
from ingestion.meta.events import to_utc

QUEUES = ("sales", "support", "billing")


def log_event(conn: psycopg.Connection, event: dict, outcome: str, **facts) -> None:
    """The processed-message log: one row per raw event, ever."""
    columns = ["event_row_id", "channel", "event_type", "event_id", "received_at", "outcome"]
    values = [
        event["id"],
        event["channel"],
        event["event_type"],
        event["event_id"],
        event["received_at"],
        outcome,
    ]
    for key, value in facts.items():
        columns.append(key)
        values.append(Jsonb(value) if isinstance(value, list) else value)
    conn.execute(
        f"insert into app.processed_events ({', '.join(columns)})"
        f" values ({', '.join(['%s'] * len(values))})",
        values,
    )


def process_event(
    conn: psycopg.Connection, event: dict, config: EngineConfig, reading: Reading | None = None
) -> str:
    """Handle one claimed raw event; returns what was done (also logged). `reading`: the
    text models' answer for an inbound message, when the worker asked for its batch."""
    if event["event_type"] == "status":
        changed = apply_statuses(conn, [event["reply_to"]])
        outcome = "status_applied" if changed else "status_unmatched"
    elif event["event_type"] == "receipt":
        outcome = "receipt_applied" if apply_receipt(conn, event) else "receipt_unmatched"
    elif event["event_type"] == "comment":
        return handle_comment(conn, event, config)
    else:
        return handle_inbound(conn, event, config, reading)
    log_event(conn, event, outcome)
    return outcome


def handle_comment(conn: psycopg.Connection, event: dict, config: EngineConfig) -> str:
    """A comment on the business's posts: flow 17 (`crm.comments`); mentions are logged."""
    if event["subtype"] == "mentions":
        log_event(conn, event, "ignored")
        return "ignored"
    result = respond_to_comment(conn, Comment.from_event(event), datetime.now(UTC), config.llm)
    outcome = f"comment_{result.label}"
    reasons = [f"{a['kind']}: {a['reason'] or 'queued'}" for a in result.actions]
    log_event(conn, event, outcome, lead_id=result.lead_id, reasons=reasons)
    return outcome


def apply_receipt(conn: psycopg.Connection, event: dict) -> int:
    """Messenger / Instagram delivery and read receipts: by message id or up to the watermark."""
    receipt = event["payload"].get(event["subtype"], {})
    mids = receipt.get("mids") or ([receipt["mid"]] if receipt.get("mid") else [])
    status = "read" if event["subtype"] == "read" else "delivered"
    watermark = to_utc(receipt.get("watermark")) or event["occurred_at"]
    return conn.execute(
        "update app.outbox set status = %(status)s, status_at = %(at)s"
        " where channel = %(channel)s and recipient_id = %(person)s"
        " and status in ('sent', 'delivered') and status <> %(status)s"
        " and (provider_message_id = any(%(mids)s) or sent_at <= %(at)s)",
        {
            "status": status,
            "at": watermark,
            "channel": event["channel"],
            "person": event["person_id"],
            "mids": mids,
        },
    ).rowcount


def handle_inbound(
    conn: psycopg.Connection, event: dict, config: EngineConfig, reading: Reading | None = None
) -> str:
    """Lead, understanding, state, case, route, reply: the whole of flow 1 for one message."""
    person_ids = [i for i in (event["person_id"], event["person_user_id"]) if i]
    if not person_ids:
        log_event(conn, event, "ignored")
        return "ignored"
    conversation = state.open_conversation(conn, event, person_ids)
    text = event["text"] or ""
    understood = understand(text, config.models, conversation["language"] or "es", reading)
    # a thanks / goodbye is understood, whatever the intent model's confidence in it
    confidence = 1.0 if closing_signal(text) else understood.confidence
    low = confidence < config.rules.low_confidence
    decision = route(
        RouteInput(
            understood.intent,
            confidence,
            understood.sentiment,
            config.tiers.get(conn, conversation["lead_id"]),
            conversation["low_confidence_streak"],
            conversation["bot_paused"],
        ),
        config.rules,
        datetime.now(UTC),
    )
    occurred = event["occurred_at"] or event["received_at"]
    state.record_inbound(conn, conversation, understood, decision, low, occurred)
    stale = occurred < datetime.now(UTC) - config.reply_max_age
    outcome, reply = _respond(conn, event, conversation, understood, decision, config, stale)
    if reply is not None and _send(conn, event, conversation, reply, understood.language):
        state.record_outbound(conn, conversation["conversation_id"], datetime.now(UTC))
    log_event(
        conn,
        event,
        outcome,
        conversation_id=conversation["conversation_id"],
        lead_id=conversation["lead_id"],
        language=understood.language,
        intent=understood.intent,
        intent_confidence=understood.confidence,
        sentiment_score=understood.sentiment,
        sentiment_label=understood.sentiment_label,
        route=decision.route,
        priority=decision.priority,
        reasons=decision.reasons,
    )
    return outcome


def _respond(
    conn: psycopg.Connection,
    event: dict,
    conversation: dict,
    understood: Understanding,
    decision: RouteDecision,
    config: EngineConfig,
    stale: bool,
) -> tuple[str, Reply | None]:
    """What to do and say; stale messages are understood but never answered."""
    text, language, conversation_id = (
        event["text"],
        understood.language,
        conversation["conversation_id"],
    )
    if is_opt_out(text):
        record_opt_out(
            conn,
            event["channel"],
            conversation["person_id"],
            conversation["lead_id"],
            text,
            event["event_id"],
        )
        return "opted_out", None if stale else Reply(phrase(language, "opt_out"), purpose="opt_out")
    signal = closure.closing_signal(text)
    if signal:
        closure.close_case(conn, conversation_id, signal)
    else:
        closure.touch_case(conn, conversation_id, conversation["lead_id"], understood.intent)
    if stale:
        return "stale", None
    if conversation["bot_paused"]:
        return "human_owns", None
    if decision.escalate:
        reason = "; ".join(decision.escalation_reasons)
        open_handoff(conn, conversation_id, reason, "auto", latest=text)
        said = phrase(language, "handoff")
        if not decision.agents_available:
            said += " " + phrase(language, "after_hours", hours=config.hours_text)
        return "escalated", Reply(said)
    if signal:
        return "closed", Reply(phrase(language, "closing"))
    queue = decision.route if decision.route in QUEUES else None
    turns = state.history(conn, conversation_id) if config.llm else []
    reply = bot.answer(
        conn, text, understood.intent, language, turns, queue, config.llm, config.embedder
    )
    return "answered", reply


def _send(conn, event: dict, conversation: dict, reply: Reply, language: str) -> bool:
    """Queue the reply to this event (once: keyed by the event id)."""
    channel, recipient = event["channel"], conversation["person_id"]
    if reply.offer_human:
        buttons = [("human", phrase(language, "yes_human")), ("no", phrase(language, "no_thanks"))]
        kind, body = "interactive", buttons_payload(channel, recipient, reply.text, buttons)
    else:
        kind, body = "text", text_payload(channel, recipient, reply.text)
    queued = enqueue(
        conn,
        Outbound(
            channel=channel,
            recipient_id=recipient,
            kind=kind,
            body=body,
            purpose=reply.purpose,
            idempotency_key=f"reply:{channel}:{event['event_id']}",
            sender_id=event["business_id"] or conversation["business_id"],
            lead_id=conversation["lead_id"],
            conversation_id=conversation["conversation_id"],
            in_reply_to=event["event_id"],
            citations=reply.citations,
        ),
    )
    return queued is not None
