"""`POST /api/v1/sales/close` over real HTTP, against the app under uvicorn."""

from __future__ import annotations


def test_close_over_http_queues_once_and_replays_the_decision(client, conn, chat):
    lead = chat("50761119001", "La Laptop Nova 14 está muy cara de precio")
    conn.execute("insert into marts.dim_customers values (%s, 'new')", (lead,))
    body = {"channel": "whatsapp", "person_id": "50761119001"}
    # the first call builds the engine's configuration (LLM SDKs, language identifier)
    first = client.post("/api/v1/sales/close", json=body, timeout=60)
    again = client.post("/api/v1/sales/close", json=body)
    assert first.status_code == 200, first.text
    decision = first.json()
    assert decision["objections"][0]["kind"] == "price" and decision["queued"] is True
    assert decision["offer"]["discount_percent"] == 10
    assert decision["checkout_url"].startswith("https://shop.example.com/checkout?lead=" + lead)
    assert again.json()["replayed"] is True
    assert again.json()["outbox_id"] == decision["outbox_id"]
    rows = conn.execute(
        "select body #>> '{text,body}' from app.outbox where purpose = 'sales_close'"
    ).fetchall()
    assert rows == [(decision["answer"],)]


def test_close_names_the_missing_or_unknown_field(client):
    missing = client.post("/api/v1/sales/close", json={"channel": "whatsapp"})
    unknown = client.post("/api/v1/sales/close", json={"conversation_id": 424242}, timeout=60)
    negative = client.post("/api/v1/sales/close", json={"conversation_id": 1, "deal_value": -5})
    assert missing.status_code == 422 and "person_id" in missing.json()["error"]["message"]
    assert unknown.status_code == 404
    assert unknown.json()["error"]["field"] == "conversation_id"
    assert negative.status_code == 422 and negative.json()["error"]["field"] == "deal_value"
