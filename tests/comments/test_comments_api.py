"""Comments over real HTTP: a signed comment webhook to the running app, the worker
drained, the Graph API call made; and `POST /api/v1/comments/respond`."""

from __future__ import annotations

import json

import httpx
import respx

from crm.conversation.worker import drain_queue
from crm.demo.chat_payloads import IG_ACCOUNT_ID, instagram_comment, page_comment
from crm.settings import get_settings
from ingestion.meta.signature import sign

GRAPH = "https://graph.facebook.com/v21.0"


def _webhook(client: httpx.Client, secret: str, delivery: dict) -> httpx.Response:
    raw = json.dumps(delivery).encode()
    headers = {"X-Hub-Signature-256": sign(raw, secret), "Content-Type": "application/json"}
    return client.post("/api/v1/webhooks/inbound", content=raw, headers=headers)


def test_a_buying_comment_webhook_is_answered_by_the_worker(client, conn, db, api_env):
    secret = api_env["META_APP_SECRET"]
    assert (
        _webhook(client, secret, instagram_comment("178650001", "7101", "precio?")).status_code
        == 200
    )
    assert (
        _webhook(
            client, secret, instagram_comment("178650002", IG_ACCOUNT_ID, "Gracias!")
        ).status_code
        == 200
    )
    get_settings.cache_clear()
    settings = get_settings().model_copy(
        update={"instagram_access_token": "ig-token", "conversation_text_models": "keywords"}
    )
    answer = {"recipient_id": "7101", "message_id": "m_live_1"}
    with respx.mock(assert_all_called=True) as graph:
        route = graph.post(f"{GRAPH}/{IG_ACCOUNT_ID}/messages").respond(200, json=answer)
        assert drain_queue(db, settings) == 2
    sent = json.loads(route.calls.last.request.read())
    assert sent["recipient"] == {"comment_id": "178650001"}
    rows = conn.execute(
        "select kind, status, provider_message_id, idempotency_key from app.outbox"
    ).fetchall()
    assert rows == [
        ("private_reply", "sent", "m_live_1", "comment:instagram:178650001:private_reply")
    ]
    outcomes = conn.execute(
        "select event_id, outcome from app.processed_events order by event_id"
    ).fetchall()
    assert outcomes == [("178650001", "comment_buying"), ("178650002", "comment_own")]
    assert drain_queue(db, settings) == 0  # nothing left, nothing sent twice


def test_respond_endpoint_takes_a_landed_comment_or_its_fields(client, conn, api_env):
    secret = api_env["META_APP_SECRET"]
    _webhook(client, secret, page_comment("1221_9001", "7201", "Worst shop ever, still waiting"))
    row_id = conn.execute(
        "select id from raw.channel_events where event_type = 'comment'"
    ).fetchone()[0]
    # the first call builds the engine's configuration (LLM SDKs, language identifier)
    landed = client.post("/api/v1/comments/respond", json={"event_row_id": row_id}, timeout=60)
    direct = client.post(
        "/api/v1/comments/respond",
        json={
            "channel": "facebook",
            "comment_id": "1221_9002",
            "text": "Love it!",
            "author_id": "7202",
        },
    )
    again = client.post("/api/v1/comments/respond", json={"event_row_id": row_id})
    assert landed.status_code == 200, landed.text
    complaint = landed.json()
    assert complaint["label"] == "complaint" and complaint["handoff_id"] is not None
    assert [r["kind"] for r in complaint["outbox"]] == ["comment_reply"]
    assert complaint["outbox"][0]["body"]["message"].startswith("We're very sorry")
    assert direct.json()["label"] == "praise" and direct.json()["channel"] == "messenger"
    assert again.json()["replayed"] is True and again.json()["outbox"] == complaint["outbox"]
    assert again.json()["handoff_id"] == complaint["handoff_id"]


def test_respond_endpoint_names_the_bad_field(client):
    missing = client.post("/api/v1/comments/respond", json={"channel": "instagram"})
    unknown = client.post("/api/v1/comments/respond", json={"event_row_id": 987654}, timeout=60)
    channel = client.post("/api/v1/comments/respond", json={"channel": "tiktok", "comment_id": "1"})
    assert missing.status_code == 422 and "comment_id" in missing.json()["error"]["message"]
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "event_row_id"
    assert channel.status_code == 422 and channel.json()["error"]["field"] == "channel"
