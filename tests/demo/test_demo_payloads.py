"""Deliveries have the shape Meta's docs show, and their signatures verify."""

from __future__ import annotations

import hashlib
import hmac
import json

from crm.demo.sender import sign


def _bodies(traffic):
    return [json.loads(d.body) for d in traffic.deliveries]


def test_every_delivery_is_one_of_the_three_objects(small_traffic):
    objects = {b["object"] for b in _bodies(small_traffic)}
    assert objects == {"whatsapp_business_account", "instagram", "page"}
    assert all(b["entry"] and all("id" in e for e in b["entry"]) for b in _bodies(small_traffic))


def _wa_values(traffic):
    for body in _bodies(traffic):
        if body["object"] == "whatsapp_business_account":
            for entry in body["entry"]:
                for change in entry["changes"]:
                    assert change["field"] == "messages"
                    yield change["value"]


def test_whatsapp_messages_have_the_documented_keys(small_traffic):
    types = set()
    for value in _wa_values(small_traffic):
        assert value["messaging_product"] == "whatsapp"
        assert set(value["metadata"]) == {"display_phone_number", "phone_number_id"}
        for message in value.get("messages", []):
            contact = value["contacts"][0]
            assert contact["profile"]["name"] and contact["user_id"]
            assert message["id"].startswith("wamid.") and message["timestamp"].isdigit()
            assert message["type"] in message
            assert message.get("from", contact.get("wa_id")) == contact.get("wa_id")
            types.add(message["type"])
    assert {"text", "image", "reaction"} <= types


def test_whatsapp_statuses_have_the_documented_keys(small_traffic):
    seen = set()
    for value in _wa_values(small_traffic):
        for status in value.get("statuses", []):
            assert {"id", "status", "timestamp", "recipient_id"} <= set(status)
            if status["status"] == "failed":
                assert status["errors"][0]["code"] and "contacts" not in value
            else:
                assert status["pricing"]["category"] and status["conversation"]["id"]
            seen.add(status["status"])
    assert {"sent", "delivered", "read"} <= seen


def test_instagram_and_messenger_events_have_the_documented_keys(small_traffic):
    kinds = set()
    for body in _bodies(small_traffic):
        if body["object"] == "whatsapp_business_account":
            continue
        for entry in body["entry"]:
            for event in entry.get("messaging", []):
                assert event["sender"]["id"] and event["recipient"]["id"]
                assert len(str(event["timestamp"])) == 13  # milliseconds
                kind = next(k for k in event if k not in ("sender", "recipient", "timestamp"))
                kinds.add((body["object"], kind, bool(event.get("message", {}).get("is_echo"))))
            for change in entry.get("changes", []):
                assert change["field"] in ("comments", "feed") and change["value"]["from"]["id"]
    assert ("instagram", "message", True) in kinds and ("page", "message", False) in kinds
    assert ("page", "delivery", False) in kinds and ("instagram", "read", False) in kinds


def test_some_deliveries_batch_and_some_repeat_verbatim(small_traffic):
    assert any(len(d.events) > 1 for d in small_traffic.deliveries)
    originals = {d.body for d in small_traffic.originals}
    repeats = [d for d in small_traffic.deliveries if d.redelivery]
    assert repeats and all(d.body in originals for d in repeats)


def test_signature_is_hmac_sha256_of_the_exact_bytes(small_traffic):
    body = small_traffic.deliveries[0].body
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign(body, "s3cret") == f"sha256={expected}"


def test_signature_verifies_with_the_ingestion_check(small_traffic):
    from ingestion.meta.signature import verify_signature

    body = small_traffic.deliveries[1].body
    assert verify_signature(body, sign(body, "s3cret"), "s3cret")
    assert not verify_signature(body + b" ", sign(body, "s3cret"), "s3cret")
