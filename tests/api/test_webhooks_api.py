"""POST /api/v1/webhooks/inbound over real HTTP: every kind lands, errors store nothing."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from ingestion.meta import parse_delivery, sign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "meta"
SECRET = "test-app-secret"  # as the `api` fixture configures the app
MAX_BYTES = 65_536

ALL_FIXTURES = sorted(p.stem for p in FIXTURES.glob("*.json"))
COLUMNS = (
    "channel, event_type, event_id, subtype, direction, person_id, person_user_id, text, reply_to"
)


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_sample_delivery_lands_its_events(post, sample, db, name) -> None:
    raw = sample(name)
    expected = parse_delivery(json.loads(raw))
    response = post(raw)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "events": len(expected), "new_events": len(expected)}
    with psycopg.connect(db) as conn:
        rows = conn.execute(f"select {COLUMNS} from raw.channel_events order by id").fetchall()
        body = conn.execute("select body from raw.webhook_deliveries").fetchone()[0]
    assert body == json.loads(raw)
    want = [tuple(getattr(e, c.strip()) for c in COLUMNS.split(",")) for e in expected]
    assert sorted(rows, key=str) == sorted(want, key=str)


def test_a_redelivery_stores_no_second_event_but_is_logged(post, stored, sample) -> None:
    raw = sample("whatsapp_batch")
    assert post(raw).json()["new_events"] == 4
    again = post(raw)
    assert again.status_code == 200
    assert again.json() == {"status": "ok", "events": 4, "new_events": 0}
    assert stored() == (2, 4)


def test_concurrent_deliveries_all_land(post, stored, sample) -> None:
    bodies = []
    for i in range(60):
        body = json.loads(sample("messenger_message"))
        for j, item in enumerate(body["entry"][0]["messaging"]):
            item["message"]["mid"] = f"m_concurrent_{i}_{j}"
        bodies.append(body)
    with ThreadPoolExecutor(12) as pool:
        responses = list(pool.map(post, bodies))
    assert [r.status_code for r in responses] == [200] * 60
    assert stored() == (60, 120)


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=", "md5=abc", sign(b"something else", SECRET), "WRONG_SECRET"],
)
def test_missing_or_bad_signature_is_401_and_stores_nothing(
    post, stored, sample, signature
) -> None:
    raw = sample("whatsapp_text")
    if signature == "WRONG_SECRET":
        signature = sign(raw, "not-the-app-secret")
    response = post(raw, **{"X-Hub-Signature-256": signature})
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "bad_signature",
        "message": "missing or invalid X-Hub-Signature-256 header",
        "field": "X-Hub-Signature-256",
    }
    assert stored() == (0, 0)


def test_unsigned_request_is_401(client, stored, sample) -> None:
    response = client.post(
        "/api/v1/webhooks/inbound",
        content=sample("whatsapp_text"),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 401
    assert stored() == (0, 0)


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        (b'{"object": "whatsapp_business_account", "entry": [', "malformed_json", "body"),
        (b"\xff\xfe not utf-8", "malformed_json", "body"),
        (b'{"object": "telegram", "entry": []}', "invalid_payload", "object"),
        (b'{"entry": []}', "invalid_payload", "object"),
        (b'["object", "entry"]', "invalid_payload", "body"),
        (b'{"object": "page", "entry": "none"}', "invalid_payload", "entry"),
    ],
)
def test_malformed_or_unknown_bodies_are_400_and_store_nothing(
    post, stored, raw, code, field
) -> None:
    response = post(raw)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"] and "Traceback" not in response.text
    assert stored() == (0, 0)


def test_oversized_body_is_413_and_stores_nothing(post, stored, sample) -> None:
    body = json.loads(sample("whatsapp_text"))
    body["padding"] = "x" * MAX_BYTES
    response = post(body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert stored() == (0, 0)


def test_oversized_chunked_body_without_length_is_413(client, stored, sample) -> None:
    raw = json.dumps({"object": "page", "entry": [], "pad": "x" * MAX_BYTES}).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, SECRET)}
    chunks = (raw[i : i + 8192] for i in range(0, len(raw), 8192))
    response = client.post("/api/v1/webhooks/inbound", content=chunks, headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert stored() == (0, 0)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_wrong_content_type_is_415_and_stores_nothing(post, stored, sample, content_type) -> None:
    response = post(sample("whatsapp_text"), **{"Content-Type": content_type})
    assert response.status_code == 415
    assert response.json()["error"]["field"] == "Content-Type"
    assert stored() == (0, 0)


def test_json_content_type_with_charset_is_accepted(post, stored, sample) -> None:
    response = post(sample("whatsapp_text"), **{"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 200
    assert stored() == (1, 1)


def test_bare_benchmark_endpoint_stores_nothing_and_is_not_documented(
    client, stored, sample
) -> None:
    response = client.post("/api/v1/webhooks/_bare", content=sample("whatsapp_text"))
    assert response.status_code == 200
    assert stored() == (0, 0)
    assert "/api/v1/webhooks/_bare" not in client.get("/openapi.json").json()["paths"]


def test_unknown_route_is_a_json_404(client) -> None:
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_handshake_echoes_the_challenge(client) -> None:
    for path in ("/api/v1/webhooks/inbound", "/api/v1/webhooks/inbound/verify"):
        params = {
            "hub.mode": "subscribe",
            "hub.verify_token": "test-verify-token",
            "hub.challenge": "1158201444",
        }
        response = client.get(path, params=params)
        assert response.status_code == 200
        assert response.text == "1158201444"
        assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
            "hub.verify_token",
        ),
        (
            {
                "hub.mode": "unsubscribe",
                "hub.verify_token": "test-verify-token",
                "hub.challenge": "1",
            },
            "hub.mode",
        ),
        ({"hub.challenge": "1"}, "hub.mode"),
    ],
)
def test_handshake_with_a_wrong_token_or_mode_is_403(client, params, field) -> None:
    response = client.get("/api/v1/webhooks/inbound", params=params)
    assert response.status_code == 403
    assert response.json()["error"]["field"] == field
    assert response.text != "1"


def test_openapi_documents_the_webhook_endpoints(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/webhooks/inbound"])
    assert "get" in paths["/api/v1/webhooks/inbound/verify"]
