"""The AI closer (flow 11): from a conversation's objections to an answer, maybe an offer,
the ask for the order with a checkout link, or a person for the big deals.

One decision per conversation and latest inbound message (`close:<conversation>:<event>`):
it is stored in `app.sales_closes` and its message queued under the same key, so calling
twice returns the same decision and queues once. The conversation row is locked while
deciding, so concurrent calls cannot both spend the lead's last allowed offer. Nothing is
queued outside the 24 h window or while a person owns the conversation.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from crm.conversation import knowledge, state
from crm.conversation.escalation import open_handoff
from crm.conversation.knowledge import Passage
from crm.conversation.llm import LLMChain
from crm.conversation.outbox import Outbound, enqueue, opted_out, text_payload
from crm.conversation.replies import grounded
from crm.conversation.understanding import detect_language
from crm.conversation.window import window_open
from crm.sales import pitch
from crm.sales.deal import checkout_url, estimate_deal
from crm.sales.objections import Objection, detect
from crm.sales.offers import SalesRules, make_offer

RECENT = 5


class NotFound(LookupError):
    """No conversation matches the request."""


@dataclass(frozen=True)
class CloserConfig:
    rules: SalesRules
    checkout_url_template: str
    llm: LLMChain | None = None


@dataclass(frozen=True)
class CloseRequest:
    conversation_id: int | None = None
    channel: str | None = None
    person_id: str | None = None
    message: str | None = None
    product: str | None = None
    deal_value: float | None = None


@dataclass
class Decision:
    conversation_id: int
    lead_id: str
    language: str
    idempotency_key: str
    objections: list[dict] = field(default_factory=list)
    answer: str = ""
    citations: list[str] = field(default_factory=list)
    offer: dict | None = None
    checkout_url: str | None = None
    deal_value: float | None = None
    handed_off: bool = False
    handoff_reason: str | None = None
    queued: bool = False
    outbox_id: int | None = None
    not_queued_reason: str | None = None
    replayed: bool = False


def _conversation(conn: psycopg.Connection, request: CloseRequest) -> dict:
    cur = conn.cursor(row_factory=dict_row)
    if request.conversation_id is not None:
        sql, params = "conversation_id = %s", (request.conversation_id,)
    else:
        sql, params = "channel = %s and person_id = %s", (request.channel, request.person_id)
    row = cur.execute(f"select * from app.conversations where {sql} for update", params).fetchone()
    if row is None:
        raise NotFound("no such conversation")
    return row


def _recent_inbound(conn: psycopg.Connection, conversation_id: int) -> list[tuple[str, str]]:
    """(event_id, text) of the latest inbound messages, oldest first."""
    rows = conn.execute(
        "select e.event_id, e.text from app.processed_events p"
        " join raw.channel_events e on e.id = p.event_row_id"
        " where p.conversation_id = %s and p.event_type = 'message' and e.text is not null"
        " order by e.id desc limit %s",
        (conversation_id, RECENT),
    ).fetchall()
    return list(reversed(rows))


def _key(conversation_id: int, recent: list[tuple[str, str]], message: str | None) -> str:
    """Keyed by the latest landed message; a text not landed yet is keyed by its hash."""
    if recent and (message is None or message == recent[-1][1]):
        return f"close:{conversation_id}:{recent[-1][0]}"
    digest = hashlib.sha256((message or "").encode()).hexdigest()[:16]
    return f"close:{conversation_id}:text-{digest}"


def _answers(
    conn: psycopg.Connection, rules: SalesRules, objections: list[Objection], language: str
) -> tuple[list[str], list[Passage]]:
    """One answer line per objection and every passage quoted."""
    lines, quoted = [], []
    for objection in objections:
        terms = rules.knowledge_terms.get(objection.kind, {}).get(language, "")
        found = knowledge.search(conn, f"{objection.evidence[-1]} {terms}", language, limit=2)
        passages = pitch.usable(objection.kind, found)
        lines.append(pitch.answer_line(objection.kind, language, passages))
        quoted += [p for p in passages[:1] if p not in quoted]
    return lines, quoted


def _handoff_reasons(rules: SalesRules, objections: list[Objection], value: float | None):
    reasons = []
    if value is not None and value > rules.handoff_deal_value:
        reasons.append(f"deal value {value:g} over {rules.handoff_deal_value:g}")
    for o in objections:
        if o.kind in ("competitor", "trust") and o.count >= rules.handoff_repeated_objection:
            reasons.append(f"{o.kind} objection raised {o.count} times")
    return reasons


def _phrase(conn, config: CloserConfig, text: str, language: str, lines, passages) -> str:
    """The answer part: the LLM's (grounded in the same passages) when configured and it
    states no figure the passages lack, else the local template lines."""
    local = "\n".join(lines)
    if config.llm is None or not passages:
        return local
    result = config.llm.reply(conn, text, language, passages, [])
    return result.text if result and grounded(result.text, passages) else local


def close(
    conn: psycopg.Connection, request: CloseRequest, config: CloserConfig, now: datetime
) -> Decision:
    """Decide, record and queue the closer's next message for one conversation."""
    conversation = _conversation(conn, request)
    conversation_id, lead_id = conversation["conversation_id"], conversation["lead_id"]
    recent = _recent_inbound(conn, conversation_id)
    key = _key(conversation_id, recent, request.message)
    stored = conn.execute(
        "select decision from app.sales_closes where close_key = %s", (key,)
    ).fetchone()
    if stored:
        return Decision(**{**stored[0], "replayed": True})
    texts = [t for _, t in recent]
    if request.message and request.message not in texts[-1:]:
        texts.append(request.message)
    language = conversation["language"] or detect_language(texts[-1] if texts else "", "es")
    decision = Decision(conversation_id, lead_id, language, key)
    objections = detect(texts)
    decision.objections = [
        {"kind": o.kind, "confidence": o.confidence, "count": o.count} for o in objections
    ]
    lines, passages = _answers(conn, config.rules, objections, language)
    decision.citations = [p.passage_id for p in passages]
    product, decision.deal_value = estimate_deal(
        conn, texts, language, request.product, request.deal_value
    )
    reasons = _handoff_reasons(config.rules, objections, decision.deal_value)
    _act(conn, config, decision, conversation, reasons, product, now)
    if not decision.not_queued_reason:
        body = _phrase(conn, config, texts[-1] if texts else "", language, lines, passages)
        _finish_text(decision, body, language)
        _queue(conn, decision, conversation, recent[-1][0] if recent else None, now)
    conn.execute(
        "insert into app.sales_closes (close_key, conversation_id, lead_id, decision, outbox_id)"
        " values (%s, %s, %s, %s, %s) on conflict do nothing",
        (key, conversation_id, lead_id, Jsonb(asdict(decision), dumps=_dumps), decision.outbox_id),
    )
    return decision


def _act(conn, config: CloserConfig, decision: Decision, conversation, reasons, product, now):
    """Hand off, or offer and ask; say why nothing may be sent (a big deal is handed to a
    person even then: agents can reach the customer by other means)."""
    if conversation["bot_paused"]:
        decision.not_queued_reason = "a person owns this conversation"
        return
    if reasons:
        decision.handed_off, decision.handoff_reason = True, "; ".join(reasons)
        open_handoff(conn, decision.conversation_id, decision.handoff_reason, "sales_closer")
    if opted_out(conn, conversation["channel"], conversation["person_id"]):
        decision.not_queued_reason = "the customer opted out"
        return
    if not window_open(conversation["last_inbound_at"], now):
        decision.not_queued_reason = "outside the 24 h customer service window"
        return
    if reasons:
        return
    if any(o["kind"] == "price" for o in decision.objections):
        offer = make_offer(
            conn,
            config.rules,
            decision.lead_id,
            decision.idempotency_key,
            now,
            decision.conversation_id,
            product,
        )
        if offer:
            decision.offer = {
                "offer_id": offer.offer_id,
                "discount_percent": offer.discount_percent,
                "limit_source": offer.limit_source,
                "expires_at": offer.expires_at.isoformat(),
            }
    decision.checkout_url = checkout_url(config.checkout_url_template, decision.lead_id, product)


def _finish_text(decision: Decision, body: str, language: str) -> None:
    parts = [body] if body else []
    if decision.offer:
        expires = datetime.fromisoformat(decision.offer["expires_at"])
        parts.append(pitch.offer_line(language, decision.offer["discount_percent"], expires))
    if decision.handed_off:
        parts.append(pitch.say(language, "handoff"))
    elif decision.checkout_url:
        parts.append(pitch.say(language, "ask", link=decision.checkout_url))
    decision.answer = "\n".join(parts)


def _queue(conn, decision: Decision, conversation: dict, in_reply_to: str | None, now) -> None:
    channel, recipient = conversation["channel"], conversation["person_id"]
    outbox_id = enqueue(
        conn,
        Outbound(
            channel=channel,
            recipient_id=recipient,
            kind="text",
            body=text_payload(channel, recipient, decision.answer),
            purpose="sales_close",
            idempotency_key=decision.idempotency_key,
            sender_id=conversation["business_id"],
            lead_id=decision.lead_id,
            conversation_id=decision.conversation_id,
            in_reply_to=in_reply_to,
            citations=decision.citations,
        ),
    )
    decision.queued, decision.outbox_id = outbox_id is not None, outbox_id
    if outbox_id is None:
        decision.not_queued_reason = "already queued by an earlier call"
    else:
        state.record_outbound(conn, decision.conversation_id, now)


def _dumps(value: object) -> str:
    return json.dumps(value, default=str)
