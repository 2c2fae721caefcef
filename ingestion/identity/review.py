"""The review queue and a person's decisions, for `GET/POST /api/v1/data/deduplicate`.

The queue is what the last identity run scored between the thresholds and left apart,
minus the pairs a person has decided since (those wait for the next run to take effect,
but should not be asked twice). A decision is stored by record id, `source:source_id`,
smaller id first, so it survives re-runs and new data; the latest per pair wins.
"""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg.rows import dict_row

QUEUE = """
    select
        pairs.record_a, pairs.source_a, pairs.source_id_a, pairs.lead_a,
        pairs.record_b, pairs.source_b, pairs.source_id_b, pairs.lead_b,
        pairs.match_probability, pairs.match_weight, pairs.reasons, pairs.scored_at,
        count(*) over () as total
    from ml.identity_pairs as pairs
    where pairs.status = 'review'
      and not exists (
        select 1 from app.identity_decisions as decided
        where decided.record_a = pairs.record_a and decided.record_b = pairs.record_b
      )
    order by pairs.match_probability desc, pairs.record_a, pairs.record_b
    limit %(limit)s offset %(offset)s
"""
KNOWN = "select record_id from ml.identity_links where record_id = any(%(ids)s)"
INSERT = """
    insert into app.identity_decisions (record_a, record_b, decision, decided_by, note)
    values (%(record_a)s, %(record_b)s, %(decision)s, %(decided_by)s, %(note)s)
    returning decision_id, record_a, record_b, decision, decided_by, note, decided_at
"""


async def review_queue(
    conn: AsyncConnection, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """(pairs awaiting a decision, most likely first; how many there are in all)."""
    async with conn.cursor(row_factory=dict_row) as cursor:
        await cursor.execute(QUEUE, {"limit": limit, "offset": offset})
        rows = await cursor.fetchall()
    total = int(rows[0]["total"]) if rows else 0
    return [{k: v for k, v in row.items() if k != "total"} for row in rows], total


async def unknown_records(conn: AsyncConnection, record_ids: list[str]) -> list[str]:
    """The ids among `record_ids` that no identity run has seen."""
    async with conn.cursor() as cursor:
        await cursor.execute(KNOWN, {"ids": record_ids})
        known = {row[0] for row in await cursor.fetchall()}
    return [record_id for record_id in record_ids if record_id not in known]


async def record_decision(
    conn: AsyncConnection,
    record_a: str,
    record_b: str,
    decision: str,
    decided_by: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Store a decision (ids put in order); returns the stored row."""
    first, second = sorted((record_a, record_b))
    values = {"record_a": first, "record_b": second, "decision": decision,
              "decided_by": decided_by, "note": note}  # fmt: skip
    async with conn.cursor(row_factory=dict_row) as cursor:
        await cursor.execute(INSERT, values)
        return await cursor.fetchone()
