"""Opt-outs: "STOP", "BAJA", "no me escriban" ... recorded once, honoured by every flow.

`outbox.enqueue` refuses any message to an opted-out person, so a follow-up, a handoff
notice or a campaign cannot slip past the rule; only the one confirmation goes out.
"""

from __future__ import annotations

import re

import psycopg

from crm.conversation.understanding import fold

OPT_OUT = re.compile(
    r"^\W*(stop|baja|unsubscribe|cancelar suscripcion|darme de baja|dar de baja)\W*$"
    r"|no me (escriban|escribas|contacten|contactes|manden|envien) mas"
    r"|no me (escriban|escribas|contacten|contactes)\b"
    r"|(stop|don'?t|do not) (messaging|message|texting|contacting) me"
    r"|no (more|mas) (messages|mensajes)"
)


def is_opt_out(text: str | None) -> bool:
    """Whether the message asks us to stop writing."""
    return bool(text) and bool(OPT_OUT.search(fold(text)))


def record_opt_out(
    conn: psycopg.Connection,
    channel: str,
    person_id: str,
    lead_id: str | None,
    text: str | None,
    event_id: str | None,
) -> bool:
    """Store the opt-out (the first one wins); True when it is new."""
    row = conn.execute(
        "insert into app.opt_outs (channel, person_id, lead_id, text, event_id)"
        " values (%s, %s, %s, %s, %s) on conflict do nothing returning 1",
        (channel, person_id, lead_id, text, event_id),
    ).fetchone()
    return row is not None
