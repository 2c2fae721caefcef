"""POST /api/v1/webhooks/commerce over real HTTP: each topic lands, errors store nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from ingestion.commerce import sign

TOPICS = [
    "checkouts/create",
    "checkouts/update",
    "orders/create",
    "orders/paid",
    "orders/cancelled",
    "refunds/create",
]


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_lands_one_row_with_its_resource_and_time(
    deliver, shopify_sample, commerce_rows, topic
) -> None:
    raw = shopify_sample(topic)
    body = json.loads(raw)
    response = deliver(topic, raw, X_Shopify_Webhook_Id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "duplicate": False}
    want_id = str(body["token"] if topic.startswith("checkouts/") else body["id"])
    want_at = datetime.fromisoformat(body.get("updated_at") or body["created_at"])
    assert commerce_rows() == [
        (
            topic,
            "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
            "acme-pa.myshopify.com",
            want_id,
            want_at,
            body,
        )
    ]


def test_a_redelivery_stores_nothing_new_and_says_duplicate(
    deliver, shopify_sample, commerce_rows
) -> None:
    raw = shopify_sample("orders/paid")
    first = deliver("orders/paid", raw, X_Shopify_Webhook_Id="retry-1")
    again = deliver("orders/paid", raw, X_Shopify_Webhook_Id="retry-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert [first.json()["duplicate"], again.json()["duplicate"]] == [False, True]
    assert len(commerce_rows()) == 1


def test_the_same_order_under_other_webhook_ids_is_kept_each_time(
    deliver, shopify_sample, commerce_rows
) -> None:
    for topic in ("orders/create", "orders/paid", "orders/cancelled"):
        assert deliver(topic, shopify_sample(topic)).status_code == 200
    assert {row[3] for row in commerce_rows()} == {"820982911946154508"}
    assert len(commerce_rows()) == 3


@pytest.mark.parametrize("signature", [None, "", "sha256=abc", "WRONG_SECRET", "OTHER_BODY"])
def test_missing_or_bad_hmac_is_401_and_stores_nothing(
    deliver, shopify_sample, commerce_rows, signature
) -> None:
    raw = shopify_sample("orders/create")
    if signature == "WRONG_SECRET":
        signature = sign(raw, "not-the-shop-secret")
    elif signature == "OTHER_BODY":
        signature = sign(raw + b" ", "test-commerce-secret")
    response = deliver("orders/create", raw, X_Shopify_Hmac_Sha256=signature)
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "bad_signature",
        "message": "missing or invalid X-Shopify-Hmac-Sha256 header",
        "field": "X-Shopify-Hmac-Sha256",
    }
    assert commerce_rows() == []


@pytest.mark.parametrize(
    ("topic", "raw", "headers", "code", "field"),
    [
        ("orders/create", b'{"id": 1, ', {}, "malformed_json", "body"),
        ("orders/create", b"[]", {}, "invalid_payload", "body"),
        ("products/create", b'{"id": 1}', {}, "invalid_payload", "X-Shopify-Topic"),
        ("orders/create", b'{"id": 1}', {"X_Shopify_Topic": None}, "invalid_payload",
         "X-Shopify-Topic"),
        ("orders/create", b'{"id": 1}', {"X_Shopify_Webhook_Id": None}, "invalid_payload",
         "X-Shopify-Webhook-Id"),
        ("orders/paid", b'{"email": "a@example.com"}', {}, "invalid_payload", "id"),
        ("checkouts/create", b'{"email": "a@example.com"}', {}, "invalid_payload", "token"),
    ],
)  # fmt: skip
def test_malformed_or_unknown_deliveries_are_400_and_store_nothing(
    deliver, commerce_rows, topic, raw, headers, code, field
) -> None:
    response = deliver(topic, raw, **headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"] and "Traceback" not in response.text
    assert commerce_rows() == []


def test_oversized_body_is_413_and_stores_nothing(
    deliver, shopify_sample, commerce_rows, api_env
) -> None:
    body = json.loads(shopify_sample("orders/create"))
    body["note"] = "x" * int(api_env["WEBHOOK_MAX_BYTES"])
    response = deliver("orders/create", body)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert commerce_rows() == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415_and_stores_nothing(
    deliver, shopify_sample, commerce_rows, content_type
) -> None:
    response = deliver("orders/create", shopify_sample("orders/create"), Content_Type=content_type)
    assert response.status_code == 415
    assert response.json()["error"]["field"] == "Content-Type"
    assert commerce_rows() == []


def test_openapi_documents_the_commerce_endpoint(client) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/webhooks/commerce"]["post"]
    assert {"200", "400", "401", "413", "415"} <= set(operation["responses"])
