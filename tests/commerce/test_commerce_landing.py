"""Landing commerce events directly (the synchronous door scripts and assets use)."""

from __future__ import annotations

import psycopg

from ingestion.commerce import land_events, prepare_event


def test_land_events_is_idempotent_by_source_and_webhook_id(db, shopify_sample) -> None:
    raw = shopify_sample("refunds/create")
    first = prepare_event(raw, "refunds/create", "wh-9", "acme-pa.myshopify.com")
    again = prepare_event(raw, "refunds/create", "wh-9", "acme-pa.myshopify.com")
    other = prepare_event(raw, "refunds/create", "wh-10", "acme-pa.myshopify.com")
    assert land_events(db, [first, again, other]) == 2
    assert land_events(db, [first]) == 0
    with psycopg.connect(db) as conn:
        rows = conn.execute(
            "select webhook_id, resource_id, body -> 'transactions' -> 0 ->> 'amount' "
            "from raw.commerce_events order by id"
        ).fetchall()
    assert rows == [("wh-9", "509562969", "1282.93"), ("wh-10", "509562969", "1282.93")]
