"""Land commerce deliveries in raw.commerce_events: one row each, idempotent by webhook id.

Commerce traffic is a few deliveries a minute, not Meta's thousands a second, so each
one is written in its own short transaction (no group commit). `ON CONFLICT (source,
webhook_id) DO NOTHING` makes a redelivery (Shopify retries with the same
X-Shopify-Webhook-Id) store nothing new; the caller learns which it was.
"""

from __future__ import annotations

from dataclasses import astuple, fields

import psycopg
from psycopg_pool import AsyncConnectionPool

from ingestion.commerce.shopify import CommerceEvent

COLUMNS = tuple(f.name for f in fields(CommerceEvent))  # 1:1 with the table's columns
INSERT_SQL = (
    f"insert into raw.commerce_events ({', '.join(COLUMNS)}) "
    f"values ({', '.join('%s::jsonb' if c == 'body' else '%s' for c in COLUMNS)}) "
    "on conflict (source, webhook_id) do nothing returning id"
)


async def land_event(pool: AsyncConnectionPool, event: CommerceEvent) -> bool:
    """Write one delivery and commit; True when it was new, False for a redelivery."""
    async with pool.connection() as conn, conn.transaction():
        cursor = await conn.execute(INSERT_SQL, astuple(event))
        return await cursor.fetchone() is not None


def land_events(conninfo: str, events: list[CommerceEvent]) -> int:
    """The same write from synchronous code (scripts, assets, tests); the number new."""
    new = 0
    with psycopg.connect(conninfo) as conn:
        for event in events:
            new += conn.execute(INSERT_SQL, astuple(event)).fetchone() is not None
    return new
