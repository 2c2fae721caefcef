"""Nurturing (flow 10): leads matching a sequence's rules get its messages until they
reply, buy or opt out.

Each lead enters each nurturing sequence once (the subject is the lead itself); the
sequence's clock starts at enrolment, and so does the watch for replies and orders.
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from crm.campaigns.audience import first_name, leads_sql, rule_parameters, rules_sql
from crm.campaigns.sequence_config import Sequence
from crm.campaigns.sequences import Candidate, Report, run

NOT_ENROLLED = """
select * from ({leads}) as lead
where {rules} and not exists (
    select 1 from app.campaign_enrollments e
    where e.sequence = %(sequence)s and e.lead_id = lead.lead_id
)
order by lead.lead_id
"""


def candidates(conn: psycopg.Connection, sequence: Sequence, now: datetime) -> list[Candidate]:
    """Leads the sequence's rules select and that it has never enrolled."""
    query = sql.SQL(NOT_ENROLLED).format(leads=leads_sql(conn), rules=rules_sql("lead.lead_id"))
    keys = rule_parameters(sequence.enrol) | {"sequence": sequence.name}
    rows = conn.cursor(row_factory=dict_row).execute(query, keys).fetchall()
    return [
        Candidate(
            lead["lead_id"],
            lead["lead_id"],
            now,
            {
                "first_name": first_name(lead["display_name"]),
                "display_name": lead["display_name"],
                "language": lead["language"],
                "email": lead["email"],
                "phone": lead["phone_e164"],
                "watch_orders_from": now.isoformat(),
            },
        )
        for lead in rows
    ]


def process_nurturing(
    conn: psycopg.Connection, sequences: list[Sequence], now: datetime, dry_run: bool = False
) -> Report:
    """Enrol, advance and exit every nurturing sequence once."""
    chosen = [s for s in sequences if s.flow == "nurturing"]
    return run(conn, chosen, candidates, now, dry_run)
