"""The agents' side of a handoff: the queue of handoffs, and giving a conversation back to
the bot when the person is done.

Resolving closes the open handoff (status `resolved`, when, by whom, the agent's note)
and, unless the agent keeps it (`resume_bot` false), un-pauses the bot and clears the
low-confidence streak, so the customer's next message is answered as a fresh turn. A
notification to agents still pending for it is cancelled: there is nothing left to take.
Resolving again changes nothing and returns the same record (`changed` false), so an
agent tool's retry or a double click is harmless; it only un-pauses a bot left paused by
an earlier `resume_bot` false.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import dict_row


class HandoffNotFound(LookupError):
    """No handoff matches; `field` names the request field that pointed nowhere."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class HandoffRecord:
    handoff_id: int
    conversation_id: int
    lead_id: str
    reason: str
    summary: str
    source: str
    status: str
    created_at: datetime
    notify_status: str
    resolved_at: datetime | None
    resolution: str | None
    resolved_by: str | None
    bot_paused: bool


SELECT_SQL = """
select h.handoff_id, h.conversation_id, h.lead_id, h.reason, h.summary, h.source, h.status,
       h.created_at, h.notify_status, h.resolved_at, h.resolution, h.resolved_by, c.bot_paused
from app.handoffs h join app.conversations c on c.conversation_id = h.conversation_id
"""


def find_handoff(
    conn: psycopg.Connection, handoff_id: int | None = None, conversation_id: int | None = None
) -> int:
    """The handoff meant: by id, or the conversation's open one (else its latest)."""
    if handoff_id is not None:
        row = conn.execute(
            "select handoff_id from app.handoffs where handoff_id = %s", (handoff_id,)
        ).fetchone()
        if row is None:
            raise HandoffNotFound("handoff_id", f"no handoff {handoff_id}")
        return row[0]
    known = conn.execute(
        "select 1 from app.conversations where conversation_id = %s", (conversation_id,)
    ).fetchone()
    if known is None:
        raise HandoffNotFound("conversation_id", f"no conversation {conversation_id}")
    row = conn.execute(
        "select handoff_id from app.handoffs where conversation_id = %s"
        " order by (status = 'open') desc, handoff_id desc limit 1",
        (conversation_id,),
    ).fetchone()
    if row is None:
        raise HandoffNotFound("conversation_id", f"conversation {conversation_id} has no handoff")
    return row[0]


def resolve_handoff(
    conn: psycopg.Connection, handoff_id: int, resolution: str, agent: str, resume_bot: bool = True
) -> tuple[HandoffRecord, bool]:
    """Close the handoff and (by default) give the conversation back to the bot; the
    record and whether this call changed it."""
    with conn.transaction():
        changed = conn.execute(
            "update app.handoffs set status = 'resolved', resolved_at = now(),"
            " resolution = %s, resolved_by = %s, notify_status = case"
            " when notify_status = 'pending' then 'cancelled' else notify_status end"
            " where handoff_id = %s and status = 'open'",
            (resolution, agent, handoff_id),
        ).rowcount
        if resume_bot:
            conn.execute(
                "update app.conversations c set bot_paused = false, low_confidence_streak = 0,"
                " updated_at = now()"
                " from app.handoffs h where h.handoff_id = %s"
                " and c.conversation_id = h.conversation_id and c.bot_paused"
                " and not exists (select 1 from app.handoffs o"
                "  where o.conversation_id = c.conversation_id and o.status = 'open')",
                (handoff_id,),
            )
    return get_handoff(conn, handoff_id), bool(changed)


def get_handoff(conn: psycopg.Connection, handoff_id: int) -> HandoffRecord:
    """One handoff with its conversation's current pause state."""
    row = (
        conn.cursor(row_factory=dict_row)
        .execute(SELECT_SQL + " where h.handoff_id = %s", (handoff_id,))
        .fetchone()
    )
    return HandoffRecord(**row)


def list_handoffs(
    conn: psycopg.Connection, status: str | None, limit: int, offset: int
) -> tuple[list[HandoffRecord], int]:
    """One page of handoffs, oldest first (the order agents take them), and the total."""
    where = " where (%(status)s::text is null or h.status = %(status)s)"
    params = {"status": status, "limit": limit, "offset": offset}
    rows = (
        conn.cursor(row_factory=dict_row)
        .execute(
            SELECT_SQL + where + " order by h.created_at, h.handoff_id"
            " limit %(limit)s offset %(offset)s",
            params,
        )
        .fetchall()
    )
    total = conn.execute("select count(*) from app.handoffs h" + where, params).fetchone()[0]
    return [HandoffRecord(**row) for row in rows], total
