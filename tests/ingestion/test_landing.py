"""Landing deliveries in raw: verbatim body, one row per event, redeliveries add nothing."""

from __future__ import annotations

import asyncio
import json

import psycopg
import pytest
from psycopg_pool import AsyncConnectionPool

from ingestion.batcher import GroupCommitBatcher
from ingestion.landing import Delivery, land, prepare_delivery
from ingestion.meta import MetaPayloadError
from ingestion.meta.events import MalformedJsonError


def _delivery(body: dict) -> Delivery:
    return prepare_delivery(json.dumps(body, ensure_ascii=False).encode())


def _unstorable() -> Delivery:
    """A delivery whose body PostgreSQL refuses (what prepare_delivery never produces)."""
    return Delivery("page", '{"object": "page", "entry": [], "x": "\\u0000"}', "0" * 64, [])


def _counts(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as conn:
        deliveries = conn.execute("select count(*) from raw.webhook_deliveries").fetchone()[0]
        events = conn.execute("select count(*) from raw.channel_events").fetchone()[0]
    return deliveries, events


def test_a_delivery_lands_verbatim_with_its_events(db, payload) -> None:
    body = payload("whatsapp_batch")
    assert land(db, [_delivery(body)]) == [4]
    with psycopg.connect(db) as conn:
        stored, obj, count, sha = conn.execute(
            "select body, object, event_count, body_sha256 from raw.webhook_deliveries"
        ).fetchone()
        rows = conn.execute(
            "select e.event_type, e.person_name, e.occurred_at, e.payload "
            "from raw.channel_events e "
            "join raw.webhook_deliveries d using (delivery_id) order by e.id"
        ).fetchall()
    assert stored == body and obj == "whatsapp_business_account" and count == 4 and len(sha) == 64
    assert [r[0] for r in rows] == ["message", "message", "status", "message"]
    assert rows[0][1] == "María Fernández" and rows[0][2].year == 2026
    assert rows[0][3]["_contact"]["wa_id"] == "50761234567"


def test_a_redelivery_is_logged_but_adds_no_event(db, payload) -> None:
    delivery = _delivery(payload("instagram_message"))
    assert land(db, [delivery]) == [2]
    assert land(db, [delivery]) == [0]
    assert _counts(db) == (2, 2)


def test_one_batch_lands_many_deliveries_and_dedupes_across_them(db, payload) -> None:
    text, media, again = (
        _delivery(payload(n)) for n in ("whatsapp_text", "whatsapp_media", "whatsapp_text")
    )
    assert land(db, [text, media, again]) == [1, 5, 0]
    assert _counts(db) == (3, 6)


def test_a_batch_is_all_or_nothing(db, payload) -> None:
    good = _delivery(payload("messenger_message"))
    poisoned = _unstorable()
    with pytest.raises(psycopg.DataError):
        land(db, [good, poisoned])
    assert _counts(db) == (0, 0)


def test_prepare_rejects_what_is_not_json_or_not_meta() -> None:
    with pytest.raises(MalformedJsonError):
        prepare_delivery(b"{not json")
    with pytest.raises(MalformedJsonError):
        prepare_delivery(b'{"object": "page", "entry": [], "x": "\xff"}')
    with pytest.raises(MetaPayloadError):
        prepare_delivery(b'{"object": "sms", "entry": []}')


async def _submit_all(url: str, deliveries: list[Delivery]) -> list:
    async with AsyncConnectionPool(
        url, min_size=1, max_size=2, kwargs={"autocommit": True}
    ) as pool:
        batcher = GroupCommitBatcher(pool, max_batch=64)
        batcher.start()
        try:
            return await asyncio.gather(
                *(batcher.submit(d) for d in deliveries), return_exceptions=True
            )
        finally:
            await batcher.close()


def test_the_batcher_lands_concurrent_deliveries_and_isolates_bad_data(db, payload) -> None:
    bodies = []
    for i in range(40):
        body = payload("whatsapp_text")
        body["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = f"wamid.batch{i}"
        bodies.append(_delivery(body))
    poisoned = _unstorable()
    results = asyncio.run(_submit_all(db, [*bodies[:20], poisoned, *bodies[20:]]))
    assert results[:20] == [1] * 20 and results[21:] == [1] * 20
    assert isinstance(results[20], psycopg.DataError)
    assert _counts(db) == (40, 40)


def test_a_nul_escape_is_stored_as_a_replacement_character(db, payload) -> None:
    body = payload("whatsapp_text")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = "hola\u0000mundo"
    assert land(db, [_delivery(body)]) == [1]
    with psycopg.connect(db) as conn:
        text = conn.execute("select text from raw.channel_events").fetchone()[0]
        stored = conn.execute("select body::text from raw.webhook_deliveries").fetchone()[0]
    assert text == "hola\ufffdmundo" and "\\ufffd" not in stored and "\ufffd" in stored
