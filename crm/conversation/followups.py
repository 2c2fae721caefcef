"""Re-engaging leads that went silent after our last message (flow 8).

A conversation is due its n-th follow-up when our last message is older than the n-th
delay of `followup_delays_hours` and the customer has not written since. Inside the 24 h
window the follow-up is free-form text; outside it, on WhatsApp only, the approved
template; elsewhere nothing (Messenger / Instagram need a message tag). Opted-out people,
paused (human-owned) and closed conversations are never followed up. Each follow-up is
keyed `followup:<conversation>:<n>`, so checking twice queues it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import dict_row

from crm.conversation.outbox import Outbound, enqueue, template_payload, text_payload
from crm.conversation.replies import phrase
from crm.conversation.window import outside_window_kind, window_open

DUE_SQL = """
select c.* from app.conversations c
where c.status = 'open' and not c.bot_paused and c.last_outbound_at is not null
  and c.last_outbound_at >= coalesce(c.last_inbound_at, c.last_outbound_at)
  and c.followups_sent < %(steps)s
  and not exists (select 1 from app.opt_outs o
                  where o.channel = c.channel and o.person_id = c.person_id)
order by c.conversation_id
for update of c skip locked
"""


@dataclass(frozen=True)
class FollowUp:
    conversation_id: int
    lead_id: str
    channel: str
    kind: str | None  # text, template, or None when skipped
    reason: str


def _delay_due(conversation: dict, delays: list[float], now: datetime) -> bool:
    step = conversation["followups_sent"]
    return now - conversation["last_outbound_at"] >= timedelta(hours=delays[step])


def _message(conversation: dict, template: str, now: datetime) -> tuple[str, dict] | None:
    channel, recipient = conversation["channel"], conversation["person_id"]
    language = conversation["language"] or "es"
    if window_open(conversation["last_inbound_at"], now):
        return "text", text_payload(channel, recipient, phrase(language, "followup"))
    if outside_window_kind(channel) == "template":
        return "template", template_payload(recipient, template, language)
    return None


def check_followups(
    conn: psycopg.Connection, delays: list[float], template: str, now: datetime
) -> list[FollowUp]:
    """Queue every follow-up now due; what was queued or skipped, and why."""
    results = []
    rows = conn.cursor(row_factory=dict_row).execute(DUE_SQL, {"steps": len(delays)})
    for conversation in rows.fetchall():
        if not _delay_due(conversation, delays, now):
            continue
        step = conversation["followups_sent"] + 1
        message = _message(conversation, template, now)
        ids = (conversation["conversation_id"], conversation["lead_id"], conversation["channel"])
        if message is None:
            results.append(FollowUp(*ids, None, "outside the 24 h window, no template here"))
            continue
        kind, body = message
        enqueue(
            conn,
            Outbound(
                channel=conversation["channel"],
                recipient_id=conversation["person_id"],
                kind=kind,
                body=body,
                purpose="followup",
                idempotency_key=f"followup:{conversation['conversation_id']}:{step}",
                sender_id=conversation["business_id"],
                lead_id=conversation["lead_id"],
                conversation_id=conversation["conversation_id"],
            ),
        )
        conn.execute(
            "update app.conversations set followups_sent = %s, last_outbound_at = %s"
            " where conversation_id = %s",
            (step, now, conversation["conversation_id"]),
        )
        results.append(FollowUp(*ids, kind, f"follow-up {step} of {len(delays)}"))
    return results
