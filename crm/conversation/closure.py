"""Cases: opened by a customer's request, closed when it is resolved, reopened on a new
message about it. A case closes on thanks / goodbye / an explicit confirmation, or after
`case_inactivity_hours` of silence following our answer; one open case per conversation
(a unique index), so replaying a step cannot open two."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from crm.conversation.understanding import fold

SIGNALS = (
    ("thanks", r"\b(gracias|muchas gracias|thanks|thank you|thx|ty)\b"),
    ("goodbye", r"\b(adios|chao|chau|bye|goodbye|hasta luego|see you|nos vemos)\b"),
    (
        "confirmed",
        r"\b(resuelto|solucionado|listo|todo bien|perfecto|ya quedo|"
        r"resolved|solved|all good|that.?s all|eso es todo|works now|ya funciona)\b",
    ),
)
_COMPILED = tuple((reason, re.compile(pattern)) for reason, pattern in SIGNALS)
MAX_CLOSING_WORDS = 8  # "gracias, pero el pedido no llegó ..." is not a goodbye


def closing_signal(text: str | None) -> str | None:
    """thanks / goodbye / confirmed when a short message closes the matter, else None."""
    if not text or len(text.split()) > MAX_CLOSING_WORDS or "?" in text:
        return None
    folded = fold(text)
    return next((reason for reason, pattern in _COMPILED if pattern.search(folded)), None)


@dataclass(frozen=True)
class CaseChange:
    case_id: int
    action: str  # opened, reopened, closed, kept
    reason: str | None = None


def close_case(conn: psycopg.Connection, conversation_id: int, reason: str) -> CaseChange | None:
    row = conn.execute(
        "update app.cases set status = 'closed', closed_at = now(), close_reason = %s"
        " where conversation_id = %s and status = 'open' returning case_id",
        (reason, conversation_id),
    ).fetchone()
    return CaseChange(row[0], "closed", reason) if row else None


def touch_case(
    conn: psycopg.Connection, conversation_id: int, lead_id: str, topic: str
) -> CaseChange:
    """The conversation's open case; else reopen the last one on the same topic, else open."""
    open_row = conn.execute(
        "select case_id from app.cases where conversation_id = %s and status = 'open'",
        (conversation_id,),
    ).fetchone()
    if open_row:
        return CaseChange(open_row[0], "kept")
    reopened = conn.execute(
        "update app.cases set status = 'open', closed_at = null, close_reason = null,"
        " reopened_count = reopened_count + 1 where case_id = (select case_id from app.cases"
        " where conversation_id = %s and topic = %s order by closed_at desc limit 1)"
        " returning case_id",
        (conversation_id, topic),
    ).fetchone()
    if reopened:
        return CaseChange(reopened[0], "reopened")
    opened = conn.execute(
        "insert into app.cases (conversation_id, lead_id, topic) values (%s, %s, %s)"
        " returning case_id",
        (conversation_id, lead_id, topic),
    ).fetchone()
    return CaseChange(opened[0], "opened")


def close_inactive(
    conn: psycopg.Connection,
    inactivity: timedelta,
    now: datetime,
    conversation_id: int | None = None,
) -> list[CaseChange]:
    """Close open cases whose conversation went silent after our last answer (of one
    conversation, or all)."""
    rows = conn.execute(
        "update app.cases k set status = 'closed', closed_at = %(now)s,"
        " close_reason = 'inactive_after_answer' from app.conversations c"
        " where k.conversation_id = c.conversation_id and k.status = 'open'"
        " and c.last_outbound_at >= c.last_inbound_at"
        " and c.last_outbound_at < %(cutoff)s"
        " and (%(id)s::bigint is null or c.conversation_id = %(id)s) returning k.case_id",
        {"now": now, "cutoff": now - inactivity, "id": conversation_id},
    ).fetchall()
    return [CaseChange(row[0], "closed", "inactive_after_answer") for row in rows]
