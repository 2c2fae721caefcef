"""Cart recovery: reminders with the cart's link, items and total, an incentive that grows,
and a stop the moment an order lands (through the real commerce webhook, over HTTP)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import httpx
import psycopg
from campaign_shop import checkout, land, order
from campaign_world import NOW, hours, insert

from crm.campaigns.carts import recover_carts
from crm.campaigns.sequence_config import load_sequences
from crm.settings import get_settings
from ingestion.commerce import sign


def shipped_cart_sequence(holdout_share: float = 0.0):
    (sequence,) = [
        s
        for s in load_sequences(get_settings().campaign_sequences_dir)
        if s.flow == "cart_recovery"
    ]
    return sequence.model_copy(update={"holdout_share": holdout_share})


def abandon(conn: psycopg.Connection, url: str, n: int, at: datetime, **fields) -> None:
    """A checkout landed in raw and marked abandoned in fct_carts, as dbt would."""
    body = checkout(n, at - hours(0.5), at, **fields)
    land(url, ("checkouts/create", body))
    lead_id = f"lead-{n}"
    insert(
        conn,
        "marts.fct_carts",
        cart_id=body["token"],
        lead_id=lead_id,
        status="abandoned",
        created_at=at - hours(0.5),
        last_activity_at=at,
        total_price=body["total_price"],
        currency="USD",
        abandoned_checkout_url=body["abandoned_checkout_url"],
        email=body["email"],
    )
    insert(
        conn,
        "marts.dim_leads",
        lead_id=lead_id,
        display_name="María González",
        phone_e164=body["phone"],
        email=body["email"],
    )


def test_reminders_follow_the_ladder_with_link_items_and_total(conn, db, outbox) -> None:
    abandon(conn, db, 1, NOW - hours(2))
    sequence = shipped_cart_sequence()
    moments = [NOW, NOW + hours(23), NOW + hours(69), NOW + hours(71)]  # 1, 24, 72 h
    reports = [recover_carts(conn, [sequence], moment) for moment in moments]
    assert [r.tallies[0].sent for r in reports] == [1, 1, 0, 1]
    assert reports[0].tallies[0].enrolled == 1
    sent = outbox()
    assert [row[3] for row in sent] == [f"abandoned_cart:tok0001:{n}" for n in (1, 2, 3)]
    assert {row[2] for row in sent} == {"template"}  # never wrote: WhatsApp template only
    parameters = [
        [p["text"] for p in row[4]["template"]["components"][0]["parameters"]] for row in sent
    ]
    url = "https://acme-pa.myshopify.com/checkouts/tok0001/recover"
    assert parameters == [
        ["María", "Laptop Pro 14, 2 x USB-C Hub", url],
        ["María", "envío gratis", "ENVIOGRATIS", url],
        ["María", "10% de descuento", "VUELVE10", url],
    ]
    assert sent[0][4]["to"] == "50760000001"


def test_inside_the_window_the_reminder_is_text_with_total_and_link(conn, db, outbox) -> None:
    abandon(conn, db, 2, NOW - hours(2))
    insert(
        conn,
        "app.conversations",
        channel="whatsapp",
        person_id="50760000002",
        lead_id="lead-2",
        language="es",
        last_inbound_at=NOW - hours(5),
    )
    recover_carts(conn, [shipped_cart_sequence()], NOW)
    (row,) = outbox()
    assert row[2] == "text"
    assert row[4]["text"]["body"] == (
        "Hola María, dejaste Laptop Pro 14, 2 x USB-C Hub en tu carrito (1270.00 USD)."
        " Puedes terminar tu compra aquí: https://acme-pa.myshopify.com/checkouts/tok0001/recover".replace(
            "tok0001", "tok0002"
        )
    )


def test_carts_abandoned_too_long_ago_or_already_ordered_are_not_enrolled(conn, db) -> None:
    abandon(conn, db, 3, NOW - hours(100))  # older than max_age_hours (72)
    abandon(conn, db, 4, NOW - hours(2))
    land(db, ("orders/create", order(4, NOW - hours(1))))  # the mart has not seen it yet
    report = recover_carts(conn, [shipped_cart_sequence()], NOW)
    assert report.tallies[0].enrolled == 0


def test_hold_out_carts_get_nothing(conn, db, outbox) -> None:
    for n in range(10, 30):
        abandon(conn, db, n, NOW - hours(2))
    sequence = shipped_cart_sequence(holdout_share=0.5)
    report = recover_carts(conn, [sequence], NOW)
    held = conn.execute(
        "select subject from app.campaign_enrollments where test_group = 'holdout'"
    ).fetchall()
    assert 0 < len(held) < 20
    assert report.tallies[0].held_out == len(held)
    assert len(outbox()) == 20 - len(held)
    assert {h[0] for h in held}.isdisjoint(row[3].split(":")[1] for row in outbox())


def post_commerce(client: httpx.Client, secret: str, topic: str, body: dict) -> httpx.Response:
    raw = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Hmac-Sha256": sign(raw, secret),
        "X-Shopify-Topic": topic,
        "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        "X-Shopify-Shop-Domain": "acme-pa.myshopify.com",
    }
    return client.post("/api/v1/webhooks/commerce", content=raw, headers=headers)


def test_an_order_through_the_webhook_stops_the_reminders(conn, client, api_env, outbox):
    now = datetime.now(UTC)
    secret = api_env["COMMERCE_WEBHOOK_SECRET"]
    body = checkout(7, now - hours(3), now - hours(2))
    assert post_commerce(client, secret, "checkouts/create", body).status_code == 200
    insert(
        conn,
        "marts.fct_carts",
        cart_id="tok0007",
        lead_id="lead-7",
        status="abandoned",
        created_at=now - hours(3),
        last_activity_at=now - hours(2),
        total_price="1270.00",
        currency="USD",
        abandoned_checkout_url=body["abandoned_checkout_url"],
        email=body["email"],
    )
    insert(conn, "marts.dim_leads", lead_id="lead-7", phone_e164=body["phone"])
    first = client.post("/api/v1/carts/recover", json={})
    assert first.status_code == 200, first.text
    counts = first.json()["sequences"]
    assert [(c["sequence"], c["enrolled"], c["sent"]) for c in counts] == [("abandoned_cart", 1, 1)]
    order_body = order(7, now - hours(1))
    assert post_commerce(client, secret, "orders/create", order_body).status_code == 200
    # the next reminder is due: make it so, as 23 hours passing would
    conn.execute("update app.campaign_enrollments set next_due_at = now() - interval '1 minute'")
    again = client.post("/api/v1/carts/recover", json={})
    assert again.status_code == 200, again.text
    assert again.json()["sequences"][0]["exited"] == {"purchased": 1}
    assert [a["action"] for a in again.json()["actions"]] == ["exited"]
    assert len(outbox()) == 1
    state = conn.execute("select status, exit_reason from app.campaign_enrollments")
    assert state.fetchall() == [("exited", "purchased")]


def test_unknown_sequence_names_are_a_422_naming_the_field(client) -> None:
    response = client.post("/api/v1/carts/recover", json={"sequences": ["cold_reengagement"]})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "sequences"
    assert "cold_reengagement" in response.json()["error"]["message"]
    bad = client.post("/api/v1/carts/recover", json={"dry_run": "maybe"})
    assert (bad.status_code, bad.json()["error"]["field"]) == (422, "dry_run")
