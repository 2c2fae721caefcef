"""The pure Shopify functions: HMAC, headers, and each topic's resource id and time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from ingestion.commerce import (
    TOPICS,
    CommercePayloadError,
    MalformedCommerceJsonError,
    extract_resource,
    prepare_event,
    sign,
    verify_hmac,
)

SECRET = "shpss_test"
EST = timezone(timedelta(hours=-5))


def test_sign_is_base64_hmac_sha256_of_the_raw_body() -> None:
    # echo -n '{"id":1}' | openssl dgst -sha256 -hmac shpss_test -binary | base64
    assert sign(b'{"id":1}', SECRET) == "1GxccvotnkOedTjSm8S0m/VA3yAUKshyqT52ccNYHj4="


@pytest.mark.parametrize(
    "header", [None, "", "not-base64", sign(b'{"id":2}', SECRET), sign(b'{"id":1}', "other")]
)
def test_verify_hmac_refuses_missing_wrong_or_foreign_signatures(header) -> None:
    assert not verify_hmac(b'{"id":1}', header, SECRET)


def test_verify_hmac_accepts_the_right_signature_with_surrounding_space() -> None:
    body = b'{"id":1}'
    assert verify_hmac(body, " " + sign(body, SECRET) + " ", SECRET)


@pytest.mark.parametrize(
    ("topic", "body", "resource_id", "occurred_at"),
    [
        ("orders/create", {"id": 820982911946154508, "created_at": "2026-11-25T10:30:12-05:00"},
         "820982911946154508", datetime(2026, 11, 25, 10, 30, 12, tzinfo=EST)),
        ("orders/paid", {"id": 7, "created_at": "2026-11-25T10:30:12-05:00",
                         "updated_at": "2026-11-25T10:34:40-05:00"},
         "7", datetime(2026, 11, 25, 10, 34, 40, tzinfo=EST)),
        ("checkouts/create",
         {"id": 901414060, "token": "0a1b2c", "updated_at": "2026-11-25T15:00:00Z"},
         "0a1b2c", datetime(2026, 11, 25, 15, tzinfo=UTC)),
        ("checkouts/update", {"id": 901414060}, "901414060", None),
        ("refunds/create", {"id": 509562969, "order_id": 820982911946154508,
                            "created_at": "2026-11-26T08:05:01-05:00"},
         "509562969", datetime(2026, 11, 26, 8, 5, 1, tzinfo=EST)),
    ],
)  # fmt: skip
def test_extract_resource_takes_the_topics_id_and_latest_time(
    topic, body, resource_id, occurred_at
) -> None:
    assert extract_resource(topic, body) == (resource_id, occurred_at)


@pytest.mark.parametrize(
    ("topic", "body", "field"),
    [
        ("orders/paid", {"order_id": 1}, "id"),
        ("orders/cancelled", {"id": None}, "id"),
        ("orders/create", {"id": True}, "id"),
        ("orders/create", {"id": 0}, "id"),
        ("refunds/create", {"id": "  "}, "id"),
        ("checkouts/create", {"email": "a@b.c"}, "token"),
        ("orders/create", {"id": 1, "updated_at": "yesterday"}, "updated_at"),
        ("orders/create", {"id": 1, "created_at": "2026-11-25T10:30:12"}, "created_at"),
        ("orders/create", {"id": 1, "created_at": 1764084612}, "created_at"),
    ],
)
def test_extract_resource_names_the_missing_or_bad_field(topic, body, field) -> None:
    with pytest.raises(CommercePayloadError) as caught:
        extract_resource(topic, body)
    assert caught.value.field == field


def test_prepare_event_keeps_the_headers_and_the_body_verbatim() -> None:
    raw = json.dumps({"id": 5, "created_at": "2026-11-25T10:30:12-05:00"}).encode()
    event = prepare_event(raw, "Orders/Paid", " wh-1 ", "Acme-PA.myshopify.com")
    assert (event.source, event.topic, event.webhook_id) == ("shopify", "orders/paid", "wh-1")
    assert (event.shop_domain, event.resource_id, event.body) == (
        "acme-pa.myshopify.com",
        "5",
        raw.decode(),
    )
    assert len(event.body_sha256) == 64 and event.received_at.tzinfo is not None


@pytest.mark.parametrize("topic", [None, "", "orders/updated", "products/create"])
def test_prepare_event_refuses_an_unknown_topic_naming_the_header(topic) -> None:
    with pytest.raises(CommercePayloadError) as caught:
        prepare_event(b'{"id": 1}', topic, "wh-1", None)
    assert caught.value.field == "X-Shopify-Topic"


@pytest.mark.parametrize("webhook_id", [None, "", "   "])
def test_prepare_event_requires_a_webhook_id(webhook_id) -> None:
    with pytest.raises(CommercePayloadError) as caught:
        prepare_event(b'{"id": 1}', "orders/create", webhook_id, None)
    assert caught.value.field == "X-Shopify-Webhook-Id"


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b'{"id": 1', MalformedCommerceJsonError),
        (b"\xff\xfe", MalformedCommerceJsonError),
        (b"[1, 2]", CommercePayloadError),
        (b'"order"', CommercePayloadError),
    ],
)
def test_prepare_event_refuses_bodies_that_are_not_json_objects(raw, error) -> None:
    with pytest.raises(error):
        prepare_event(raw, "orders/create", "wh-1", None)


def test_the_six_documented_topics_are_the_only_ones() -> None:
    assert set(TOPICS) == {
        "checkouts/create",
        "checkouts/update",
        "orders/create",
        "orders/paid",
        "orders/cancelled",
        "refunds/create",
    }
