"""Land Meta deliveries in `raw`: the verbatim body plus one row per event, atomically.

One SQL statement writes a whole batch of deliveries (arrays unnested server-side), so
it is atomic on its own and costs one round trip and one commit however many deliveries
it carries: that is what lets the API group-commit concurrent requests. Events are
inserted with ON CONFLICT (channel, event_type, event_id) DO NOTHING, so a redelivery is
recorded in the delivery log but adds no second event.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg

from ingestion.meta import ChannelEvent, parse_delivery
from ingestion.meta.events import MalformedJsonError

LAND_SQL = """
with src as materialized (
    select t.n, nextval('raw.webhook_deliveries_delivery_id_seq') as delivery_id,
           t.object, t.body, t.body_sha256, t.event_count, t.received_at
    from unnest(%(objects)b::text[], %(bodies)b::text[], %(shas)b::text[],
                %(counts)b::int[], %(received)b::timestamptz[])
         with ordinality as t(object, body, body_sha256, event_count, received_at, n)
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
           e.person_name, e.occurred_at, e.text, e.reply_to, e.payload::jsonb, src.received_at
    from unnest(%(ev_n)b::int[], %(channel)b::text[], %(event_type)b::text[],
                %(event_id)b::text[], %(subtype)b::text[], %(account_id)b::text[],
                %(business_id)b::text[], %(direction)b::text[], %(person_id)b::text[],
                %(person_user_id)b::text[], %(person_username)b::text[],
                %(person_name)b::text[], %(occurred_at)b::timestamptz[], %(text)b::text[],
                %(reply_to)b::text[], %(payload)b::text[])
         as e(n, channel, event_type, event_id, subtype, account_id, business_id,
              direction, person_id, person_user_id, person_username, person_name,
              occurred_at, text, reply_to, payload)
    join src on src.n = e.n
    on conflict (channel, event_type, event_id) do nothing
    returning delivery_id
)
select src.n, src.delivery_id, count(events.delivery_id)::int as new_events
from src left join events on events.delivery_id = src.delivery_id
group by src.n, src.delivery_id
order by src.n
"""

EVENT_COLUMNS = (
    "channel",
    "event_type",
    "event_id",
    "subtype",
    "account_id",
    "business_id",
    "direction",
    "person_id",
    "person_user_id",
    "person_username",
    "person_name",
    "occurred_at",
    "text",
    "reply_to",
)


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
        text = raw.decode("utf-8")
        body = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedJsonError(f"the body is not valid UTF-8 JSON: {exc}") from None
    events = parse_delivery(body)
    return Delivery(body["object"], text, hashlib.sha256(raw).hexdigest(), events)


def batch_params(deliveries: list[Delivery]) -> dict[str, list[Any]]:
    """The column arrays LAND_SQL unnests: one entry per delivery, one per event."""
    params: dict[str, list[Any]] = {
        "objects": [d.object for d in deliveries],
        "bodies": [d.body for d in deliveries],
        "shas": [d.body_sha256 for d in deliveries],
        "counts": [len(d.events) for d in deliveries],
        "received": [d.received_at for d in deliveries],
        "ev_n": [],
        "payload": [],
        **{column: [] for column in EVENT_COLUMNS},
    }
    for n, delivery in enumerate(deliveries, start=1):
        for event in delivery.events:
            params["ev_n"].append(n)
            params["payload"].append(json.dumps(event.payload, ensure_ascii=False))
            for column in EVENT_COLUMNS:
                params[column].append(getattr(event, column))
    return params


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
