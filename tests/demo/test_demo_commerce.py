"""The demo shop's Shopify webhooks: deterministic, shaped as the marts read them, and
landed over real HTTP once per webhook id."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import psycopg
import pytest

from crm.demo.commerce import Commerce, build_commerce, propensity
from crm.demo.sender import send_commerce
from crm.demo.world import World, build_world
from ingestion.commerce import TOPICS, verify_hmac

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(seed=5, people=120, now=NOW)


@pytest.fixture(scope="module")
def commerce(world: World) -> Commerce:
    return build_commerce(world, redelivery_share=0.2)


def test_same_seed_same_deliveries(world, commerce):
    again = build_commerce(build_world(seed=5, people=120, now=NOW), redelivery_share=0.2)
    assert again == commerce


def test_a_minority_buys_and_buyers_chatted_about_buying(world, commerce):
    assert 0.03 <= len(commerce.buyers) / len(world.people) <= 0.2
    assert set(commerce.buyers) <= set(commerce.shoppers)
    assert all(propensity(world, world.person(key))[0] > 0 for key in commerce.shoppers)
    topics = commerce.topics()
    assert topics["checkouts/create"] > topics["orders/create"] > 0  # some carts abandoned
    assert topics["orders/paid"] > 0


def test_payloads_carry_what_the_marts_read(world, commerce):
    for delivery in commerce.originals:
        body = orjson.loads(delivery.body)
        assert any(body.get(key) for key in TOPICS[delivery.topic])
        stamp = datetime.fromisoformat(body.get("updated_at") or body["created_at"])
        assert stamp.utcoffset() is not None and stamp < world.now
        if delivery.topic.startswith(("checkouts/", "orders/")):
            assert body["currency"] == "USD" and body["line_items"]
            assert isinstance(body["total_price"], str) and "." in body["total_price"]
            assert body.get("email") or body.get("phone")
        if delivery.topic.startswith("orders/"):
            assert body["checkout_token"]
        if delivery.topic == "refunds/create":
            assert body["order_id"] and body["transactions"][0]["amount"]


def test_buyers_identify_as_people_do(world, commerce):
    bodies = [orjson.loads(d.body) for d in commerce.originals if d.topic == "checkouts/create"]
    assert any("customer" not in b for b in bodies)  # guest checkouts
    assert any(b.get("customer", {}).get("id") for b in bodies)
    emails = {p.email for p in world.people}
    assert all(b["email"].lower() in emails for b in bodies if b["email"])


def test_signatures_verify_and_ids_are_unique_per_original(commerce):
    secret = "s3cret"
    for delivery in commerce.deliveries[:20]:
        headers = delivery.headers(secret)
        assert verify_hmac(delivery.body, headers["X-Shopify-Hmac-Sha256"], secret)
        assert not verify_hmac(delivery.body, headers["X-Shopify-Hmac-Sha256"], "other")
    ids = [d.webhook_id for d in commerce.originals]
    assert len(ids) == len(set(ids))
    assert len(commerce.deliveries) > len(commerce.originals)  # some redelivered verbatim


def _landed(url: str) -> list[tuple[str, str]]:
    with psycopg.connect(url) as conn:
        return conn.execute("select webhook_id, topic from raw.commerce_events").fetchall()


def test_sending_over_http_lands_each_webhook_id_once(commerce, api_url, commerce_secret, db):
    secret = commerce_secret
    report = send_commerce(api_url, commerce.deliveries, secret, concurrency=4, progress=False)
    assert (report.accepted, report.failed) == (len(commerce.deliveries), 0)
    landed = _landed(db)
    assert len(landed) == len({w for w, _ in landed}) == len(commerce.originals)
    again = send_commerce(api_url, commerce.originals, secret, concurrency=4, progress=False)
    assert again.accepted == len(commerce.originals)
    assert len(_landed(db)) == len(commerce.originals)


def test_a_wrong_commerce_secret_stores_nothing(commerce, api_url, db):
    report = send_commerce(api_url, commerce.deliveries[:1], "not-it", progress=False)
    assert report.statuses == {401: 1}
    assert _landed(db) == []
