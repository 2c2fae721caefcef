"""`POST /api/v1/leads/classify` over real HTTP: the contract's example, matching, errors.

The app runs with no lead-score champion in its store, so scores come from the prior;
the intent comes from the text models (their corpus-trained stand-in on a fresh store).
"""

from __future__ import annotations

import hashlib

import httpx
import pytest

EXAMPLE = {
    "message": "Necesito 500 unidades urgente",
    "sender_metadata": {"name": "Juan", "phone": "+507123456789"},
}


@pytest.fixture
def warm_client(client: httpx.Client) -> httpx.Client:
    """The client once the app's intent model is loaded (trained from the corpus: slow once)."""
    client.post("/api/v1/intents/detect", json={"message": "hola"}, timeout=180)
    return client


def test_the_contract_example_gets_a_score_tier_intent_reasons_and_a_lead(
    warm_client: httpx.Client,
):
    reply = warm_client.post("/api/v1/leads/classify", json=EXAMPLE)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert 0 <= body["score"] <= 100 and body["tier"] in {"hot", "warm", "cold"}
    assert body["score"] == round(body["probability"] * 100)
    assert body["score_source"] == "prior" and body["model_version"] is None
    assert body["intent"] in {"purchase_intent", "product_inquiry", "price_inquiry", "other"}
    assert body["reasons"] and {"feature", "value", "effect"} <= set(body["reasons"][0])
    assert body["lead"]["created"] is True and body["lead"]["matched_by"] is None


def test_the_same_sender_gets_the_same_new_lead_id_however_the_phone_is_written(
    warm_client: httpx.Client,
):
    spelt = {**EXAMPLE, "sender_metadata": {"phone": "+507 1234-56789"}}
    first = warm_client.post("/api/v1/leads/classify", json=EXAMPLE).json()["lead"]["lead_id"]
    second = warm_client.post("/api/v1/leads/classify", json=spelt).json()["lead"]["lead_id"]
    assert first == second == hashlib.md5(b"phone:+507123456789").hexdigest()


def test_a_missing_message_is_a_422_naming_the_field(client: httpx.Client):
    reply = client.post("/api/v1/leads/classify", json={"sender_metadata": {"name": "Juan"}})
    assert reply.status_code == 422
    assert reply.json()["error"]["field"] == "message"


def test_classify_needs_an_api_key(api: str):
    reply = httpx.post(api + "/api/v1/leads/classify", json=EXAMPLE, timeout=10)
    assert reply.status_code == 401
