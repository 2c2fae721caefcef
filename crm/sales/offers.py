"""Discount offers within limits: who may get how much, and never more often than allowed.

The limits are configuration (`offers.yaml`), not code, because they are a commercial
decision: a maximum per RFM segment of `marts.dim_customers` (or per lead tier of
`marts.dim_leads` for a lead who never bought) and a number of offers per lead. Every
offer is a row in `app.sales_offers` numbered per lead; the unique (lead, sequence) key
means two concurrent calls cannot both hand out the last allowed offer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import yaml
from pydantic import BaseModel, Field

DEFAULT_PATH = Path(__file__).resolve().parent / "offers.yaml"


class SalesRules(BaseModel):
    """The contents of `offers.yaml`."""

    discount_percent: float = Field(ge=0, le=100)
    max_offers_per_lead: int = Field(ge=0)
    offer_valid_hours: float = Field(gt=0)
    segment_max_percent: dict[str, float]
    tier_max_percent: dict[str, float]
    unknown_max_percent: float = 0.0
    handoff_deal_value: float = Field(gt=0)
    handoff_repeated_objection: int = Field(ge=1)
    knowledge_terms: dict[str, dict[str, str]]

    @classmethod
    def load(cls, path: Path | None = None) -> SalesRules:
        return cls.model_validate(yaml.safe_load((path or DEFAULT_PATH).read_text()))

    def limit(self, segment: str | None, tier: str | None) -> tuple[str, float]:
        """(where the limit came from, max percent): the customer's segment first."""
        if segment in self.segment_max_percent:
            return f"segment:{segment}", self.segment_max_percent[segment]
        if tier in self.tier_max_percent:
            return f"tier:{tier}", self.tier_max_percent[tier]
        return "unknown", self.unknown_max_percent


@dataclass(frozen=True)
class Offer:
    offer_id: int
    discount_percent: float
    limit_source: str
    expires_at: datetime


def _mart_value(conn: psycopg.Connection, table: str, column: str, lead_id: str) -> str | None:
    """One column of a mart row for the lead; None before the pipeline built the mart."""
    if not conn.execute("select to_regclass(%s)", (table,)).fetchone()[0]:
        return None
    row = conn.execute(
        f"select to_jsonb(m) ->> '{column}' from {table} m where lead_id = %s limit 1",
        (lead_id,),
    ).fetchone()
    return row[0] if row else None


def customer_segment(conn: psycopg.Connection, lead_id: str) -> tuple[str | None, str | None]:
    """(RFM segment, lead tier) of the lead, either None when unknown."""
    return (
        _mart_value(conn, "marts.dim_customers", "segment", lead_id),
        _mart_value(conn, "marts.dim_leads", "lead_tier", lead_id),
    )


def make_offer(
    conn: psycopg.Connection,
    rules: SalesRules,
    lead_id: str,
    close_key: str,
    now: datetime,
    conversation_id: int | None = None,
    product: str | None = None,
) -> Offer | None:
    """Record and return a discount for this lead, or None when its segment allows none
    or it already had every offer it may get."""
    segment, tier = customer_segment(conn, lead_id)
    source, limit = rules.limit(segment, tier)
    percent = min(rules.discount_percent, limit)
    if percent <= 0:
        return None
    taken = conn.execute(
        "select count(*) from app.sales_offers where lead_id = %s", (lead_id,)
    ).fetchone()[0]
    if taken >= rules.max_offers_per_lead:
        return None
    expires = now + timedelta(hours=rules.offer_valid_hours)
    row = conn.execute(
        "insert into app.sales_offers (lead_id, sequence, conversation_id, segment,"
        " discount_percent, product, close_key, expires_at)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s)"
        " on conflict (lead_id, sequence) do nothing returning offer_id",
        (
            lead_id,
            taken + 1,
            conversation_id,
            source,
            Decimal(str(percent)),
            product,
            close_key,
            expires,
        ),
    ).fetchone()
    return Offer(row[0], percent, source, expires) if row else None
