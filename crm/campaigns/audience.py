"""Who a sequence may enrol: each lead's tier, last intent, RFM segment and phone, and
whether it opted out.

Read where each fact is freshest: the tier from the newest score in `ml.lead_scores` (else
`marts.dim_leads`), the last intent from the engine's live `app.conversations`, the
segment from `marts.dim_customers`, the phone and e-mail from `marts.dim_leads`. The marts
are optional (a fresh install has not run dbt yet): a missing one contributes nothing.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from crm.campaigns.sequence_config import Enrol

MARTS = {
    "dim_leads": "select lead_id, lead_tier, phone_e164, email, display_name from marts.dim_leads",
    "dim_customers": "select lead_id, segment from marts.dim_customers",
}
EMPTY = {
    "dim_leads": "select null::text as lead_id, null::text as lead_tier, null::text as"
    " phone_e164, null::text as email, null::text as display_name where false",
    "dim_customers": "select null::text as lead_id, null::text as segment where false",
}

LEADS_SQL = """
with dim_leads as ({dim_leads}),
dim_customers as ({dim_customers}),
scores as (
    select distinct on (lead_id) lead_id, tier from ml.lead_scores
    order by lead_id, scored_at desc
),
conversations as (
    select distinct on (lead_id) lead_id, last_intent, language from app.conversations
    order by lead_id, last_inbound_at desc nulls last, conversation_id desc
),
leads as (
    select lead_id from dim_leads union select lead_id from scores
    union select lead_id from conversations
)
select leads.lead_id, coalesce(scores.tier, dim_leads.lead_tier) as tier,
       conversations.last_intent, conversations.language, dim_customers.segment,
       dim_leads.phone_e164, dim_leads.email, dim_leads.display_name,
       dim_leads.phone_e164 is not null or exists (
           select 1 from app.conversations c
           where c.lead_id = leads.lead_id and c.channel = 'whatsapp'
       ) as has_phone
from leads
left join dim_leads on dim_leads.lead_id = leads.lead_id
left join scores on scores.lead_id = leads.lead_id
left join conversations on conversations.lead_id = leads.lead_id
left join dim_customers on dim_customers.lead_id = leads.lead_id
"""

# a lead's facts (alias `lead`, possibly all null) against an `Enrol` rule, and no opt-out
RULES_SQL = """
(cardinality(%(tiers)s::text[]) = 0 or lead.tier = any(%(tiers)s::text[]))
and (cardinality(%(intents)s::text[]) = 0 or lead.last_intent = any(%(intents)s::text[]))
and (cardinality(%(segments)s::text[]) = 0 or lead.segment = any(%(segments)s::text[]))
and (not %(has_phone)s or coalesce(lead.has_phone, false))
and not exists (select 1 from app.opt_outs o where o.lead_id = {lead_id})
"""


def relation_exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute("select to_regclass(%s) is not null", (name,)).fetchone()[0]


def leads_sql(conn: psycopg.Connection) -> sql.Composed:
    """Every known lead with the facts enrolment rules test (one row per lead)."""
    parts = {
        mart: sql.SQL(MARTS[mart] if relation_exists(conn, f"marts.{mart}") else EMPTY[mart])
        for mart in MARTS
    }
    return sql.SQL(LEADS_SQL).format(**parts)


def rules_sql(lead_id: str) -> sql.Composed:
    """A condition: the facts of `lead` meet the rule (`rule_parameters`) and the lead
    `lead_id` (a column reference) has not opted out."""
    return sql.SQL(RULES_SQL).format(lead_id=sql.SQL(lead_id))


def rule_parameters(rule: Enrol) -> dict[str, Any]:
    return {
        "tiers": list(rule.tiers),
        "intents": list(rule.intents),
        "segments": list(rule.segments),
        "has_phone": rule.has_phone,
    }


def first_name(display_name: str | None) -> str:
    """The first word of a name, for a greeting ('' when unknown)."""
    return (display_name or "").split(" ")[0]
