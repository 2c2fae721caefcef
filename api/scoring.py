"""What the lead-score endpoints need besides the models: the lead a sender is, and its features.

A sender is matched by E.164 phone, then e-mail, against `marts.dim_leads`; no match gives
a deterministic key (md5 of the phone or e-mail key), so repeated calls for the same
person agree, and `created: true` says nothing was found (nothing is stored: the lead is
born when the person's message lands through the webhooks). Features are the lead's
current row from dbt, plus the message being classified.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from functools import cache

import pandas as pd
from psycopg.errors import UndefinedTable
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from api.schemas_scores import LeadMatch, SenderMetadata
from crm.settings import get_settings
from ingestion.hygiene.phones import clean_phone
from ml.close_probability.features import MODEL_NAME as CLOSE_MODEL
from ml.lead_score.features import CURRENT_TABLE, SPEC
from ml.lead_score.features import MODEL_NAME as LEAD_MODEL
from ml.tracking import ChampionCache

BUYING = {"price_inquiry", "purchase_intent", "payment"}
COMPLAINTS = {"complaint", "cancellation_refund"}


@cache
def champions() -> dict[str, ChampionCache]:
    """The lead-score and close-probability champions, reloaded when their alias moves."""
    every = get_settings().ml_reload_seconds
    return {name: ChampionCache(name, every) for name in (LEAD_MODEL, CLOSE_MODEL)}


async def match_lead(pool: AsyncConnectionPool, sender: SenderMetadata) -> LeadMatch:
    """The lead with this phone (E.164) or e-mail in dim_leads, else a new deterministic key."""
    phone = clean_phone(sender.phone, get_settings().default_region).e164 if sender.phone else None
    email = sender.email.strip().lower() if sender.email else None
    for key, column, value in (("phone", "phone_e164", phone), ("email", "email", email)):
        found = await fetch_rows(pool, "marts.dim_leads", column, value) if value else []
        if found:
            newest = max(found, key=lambda r: r["last_seen_at"] or datetime.min.replace(tzinfo=UTC))
            return LeadMatch(lead_id=newest["lead_id"], created=False, matched_by=key)
    key = f"phone:{phone}" if phone else f"email:{email}" if email else f"name:{sender.name}"
    return LeadMatch(lead_id=hashlib.md5(key.encode()).hexdigest(), created=True, matched_by=None)


async def fetch_rows(pool: AsyncConnectionPool, table: str, column: str, value: str) -> list[dict]:
    """Rows of a dbt table where `column` = value; none while dbt has not built the table."""
    async with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
        try:
            await cursor.execute(f"select * from {table} where {column} = %s", (value,))
        except UndefinedTable:  # a fresh install before its first pipeline run
            return []
        return await cursor.fetchall()


async def current_features(pool: AsyncConnectionPool, lead_id: str) -> dict | None:
    """The lead's row of dbt's current features, or None for a lead dbt has not seen."""
    rows = await fetch_rows(pool, CURRENT_TABLE, "lead_id", lead_id)
    return rows[0] if rows else None


def with_message(row: dict | None, lead_id: str, intent: str | None) -> pd.DataFrame:
    """The features as they stand once this inbound message counts (one row frame)."""
    features = {column: (row or {}).get(column) for column in SPEC.columns}
    for column in ("inbound_messages", "inbound_last_7d", "inbound_last_1d"):
        features[column] = (features[column] or 0) + 1
    features["buying_intents"] = (features["buying_intents"] or 0) + (intent in BUYING)
    features["complaint_intents"] = (features["complaint_intents"] or 0) + (intent in COMPLAINTS)
    features["days_since_last_inbound"] = 0.0
    if row is None:
        features.update(conversations=1, days_since_first_message=0.0)
    return pd.DataFrame([{"lead_id": lead_id, **features}])
