"""Fixtures for the campaign flows: a small world of leads, conversations, scores, marts
and carts, and sequences written as the YAML files are.

The marts the flows read (`dim_leads`, `dim_customers`, `fct_carts`) are dbt's; these
tests seed small tables of the same shape in their place (anything dbt built earlier in
the session is moved aside and put back), and `test_campaign_marts.py` runs real dbt.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from datetime import datetime

import psycopg
import pytest
from campaign_world import NOW, SCORE_RUN, hours, insert

MARTS = {
    "dim_leads": "lead_id text, display_name text, phone_e164 text, email text, lead_tier text",
    "dim_customers": "lead_id text, segment text",
    "fct_carts": "cart_id text, lead_id text, status text, created_at timestamptz,"
    " last_activity_at timestamptz, total_price numeric, currency text,"
    " abandoned_checkout_url text, email text",
}


@pytest.fixture
def conn(db: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the emptied test database, with seedable marts."""
    with psycopg.connect(db, autocommit=True) as connection:
        connection.execute("create schema if not exists marts")
        saved = []
        for table, columns in MARTS.items():
            if connection.execute("select to_regclass(%s)", (f"marts.{table}",)).fetchone()[0]:
                connection.execute(f"alter table marts.{table} rename to {table}__saved")
                saved.append(table)
            connection.execute(f"create table marts.{table} ({columns})")
        try:
            yield connection
        finally:
            connection.execute(f"delete from ml.lead_scores where score_run_id = '{SCORE_RUN}'")
            for table in MARTS:
                connection.execute(f"drop table marts.{table}")
            for table in saved:
                connection.execute(f"alter table marts.{table}__saved rename to {table}")


@pytest.fixture
def lead(conn: psycopg.Connection) -> Callable[..., None]:
    """A lead: its score tier, its conversation (channel, last message, intent) and its
    golden record (name, phone, e-mail), as the scoring asset, worker and dbt write them."""

    def add(
        lead_id: str,
        tier: str | None = None,
        channel: str | None = "whatsapp",
        last_inbound_at: datetime | None = None,
        intent: str | None = None,
        name: str = "Ana Pérez",
        phone: str | None = None,
        email: str | None = None,
        language: str = "es",
        segment: str | None = None,
    ) -> None:
        if tier:
            insert(
                conn,
                "ml.lead_scores",
                score_run_id=SCORE_RUN,
                lead_id=lead_id,
                score=10,
                tier=tier,
                probability=0.1,
                score_source="prior",
                reasons=[],
                model_name="test",
                scored_at=NOW - hours(48),
            )
        if channel:
            person = (phone or f"+5076{zlib.crc32(lead_id.encode()) % 10**7:07d}").lstrip("+")
            insert(
                conn,
                "app.conversations",
                channel=channel,
                person_id=person if channel == "whatsapp" else f"psid-{lead_id}",
                business_id="PHONE_ID",
                lead_id=lead_id,
                language=language,
                last_intent=intent,
                last_inbound_at=last_inbound_at or NOW - hours(72),
            )
        insert(
            conn,
            "marts.dim_leads",
            lead_id=lead_id,
            display_name=name,
            phone_e164=phone,
            email=email,
            lead_tier=tier,
        )
        if segment:
            insert(conn, "marts.dim_customers", lead_id=lead_id, segment=segment)

    return add


@pytest.fixture
def outbox(conn: psycopg.Connection) -> Callable[[], list[tuple]]:
    """(lead_id, channel, kind, idempotency_key, body) of every queued message, by id."""

    def rows() -> list[tuple]:
        return conn.execute(
            "select lead_id, channel, kind, idempotency_key, body from app.outbox"
            " order by outbox_id"
        ).fetchall()

    return rows
