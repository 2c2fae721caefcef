"""Land Meta deliveries in `raw`: the verbatim body plus one row per event, atomically.

One SQL statement writes a whole batch of deliveries (arrays unnested server-side), so
it is atomic on its own and costs one round trip and one commit however many deliveries
it carries: that is what lets the API group-commit concurrent requests. Events are
inserted with ON CONFLICT (channel, event_type, event_id) DO NOTHING, so a redelivery is
recorded in the delivery log but adds no second event.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime

import orjson
import psycopg

from ingestion.meta import ChannelEvent, parse_delivery
from ingestion.meta.events import MalformedJsonError

ESCAPED_NUL = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")  # \u0000 not preceded by a lone \
LAND_SQL = """
with batch as (
    select %(batch)s::jsonb as doc
), src as materialized (
    select d.n, nextval('raw.webhook_deliveries_delivery_id_seq') as delivery_id,
           d.object, d.body, d.body_sha256, d.event_count, d.received_at
    from batch, jsonb_to_recordset(batch.doc -> 'deliveries')
         as d(n int, object text, body text, body_sha256 text, event_count int,
              received_at timestamptz)
), deliveries as (
    insert into raw.webhook_deliveries
        (delivery_id, source, object, body, body_sha256, event_count, received_at)
    select delivery_id, 'meta', object, body::jsonb, body_sha256, event_count, received_at
    from src
), events as (
    insert into raw.channel_events
        (delivery_id, channel, event_type, event_id, subtype, account_id, business_id,
         direction, person_id, person_user_id, person_username, person_name, occurred_at,
         text, reply_to, payload, received_at)
    select src.delivery_id, e.channel, e.event_type, e.event_id, e.subtype, e.account_id,
           e.business_id, e.direction, e.person_id, e.person_user_id, e.person_username,
           e.person_name, e.occurred_at, e.text, e.reply_to, e.payload, src.received_at
    from batch, jsonb_to_recordset(batch.doc -> 'events')
         as e(n int, channel text, event_type text, event_id text, subtype text,
              account_id text, business_id text, direction text, person_id text,
              person_user_id text, person_username text, person_name text,
              occurred_at timestamptz, text text, reply_to text, payload jsonb, i int)
    join src on src.n = e.n
    order by e.i
    on conflict (channel, event_type, event_id) do nothing
    returning delivery_id
)
select src.n, src.delivery_id, count(events.delivery_id)::int as new_events
from src left join events on events.delivery_id = src.delivery_id
group by src.n, src.delivery_id
order by src.n
"""

EVENT_COLUMNS = tuple(f.name for f in fields(ChannelEvent))  # 1:1 with the table


@dataclass(frozen=True, slots=True)
class Delivery:
    """One accepted delivery, parsed and ready to land."""

    object: str
    body: str
    body_sha256: str
    events: list[ChannelEvent]
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def prepare_delivery(raw: bytes) -> Delivery:
    """Decode, parse and hash a signed body; MetaPayloadError when it is not a Meta delivery."""
    try:
        text = _storable(raw.decode("utf-8"))
        body = orjson.loads(text)
    except (UnicodeDecodeError, orjson.JSONDecodeError) as exc:
        raise MalformedJsonError(f"the body is not valid UTF-8 JSON: {exc}") from None
    events = parse_delivery(body)
    return Delivery(body["object"], text, hashlib.sha256(raw).hexdigest(), events)


def _storable(text: str) -> str:
    """PostgreSQL's jsonb cannot hold U+0000: keep the delivery with U+FFFD in its place
    (rather than refuse a signed delivery Meta would retry forever)."""
    return ESCAPED_NUL.sub(r"\1\\ufffd", text) if "\\u0000" in text else text


def batch_params(deliveries: list[Delivery]) -> dict[str, str]:
    """The whole batch as one JSON document that LAND_SQL unpacks server-side.

    One text parameter encoded by orjson costs far less per row than psycopg's
    per-element array dumpers, and keeps the event payloads nested as they are.
    """
    rows, events = [], []
    for n, delivery in enumerate(deliveries, start=1):
        rows.append(
            {
                "n": n,
                "object": delivery.object,
                "body": delivery.body,
                "body_sha256": delivery.body_sha256,
                "event_count": len(delivery.events),
                "received_at": delivery.received_at,
            }
        )
        for event in delivery.events:
            row = {column: getattr(event, column) for column in EVENT_COLUMNS}
            row["n"], row["i"] = n, len(events)
            events.append(row)
    return {"batch": orjson.dumps({"deliveries": rows, "events": events}).decode()}


async def land_batch(conn: psycopg.AsyncConnection, deliveries: list[Delivery]) -> list[int]:
    """Land deliveries in one statement; the number of new events of each, in order."""
    cursor = await conn.execute(LAND_SQL, batch_params(deliveries))
    rows = await cursor.fetchall()
    if not conn.autocommit:
        await conn.commit()
    return [row[2] for row in rows]


def land(conninfo: str, deliveries: list[Delivery]) -> list[int]:
    """The same write from synchronous code (scripts, assets, tests): commits before returning."""
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(LAND_SQL, batch_params(deliveries)).fetchall()
    return [row[2] for row in rows]
