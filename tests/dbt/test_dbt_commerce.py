"""The commerce models build on a small known set of Shopify webhooks, and say exactly that.

The input: a contact import (Maria, by e-mail) and Shopify events for three buyers. Maria
starts a guest checkout, updates it, and orders from it (orders/paid lands before
orders/create); Luis (customer 202, unknown to the CRM) leaves a checkout, places an order
that is cancelled and another that is paid and partly refunded; a guest pays an order and
then opens a checkout that is still within the abandonment window. dbt runs once for the
module against the test database.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from dbt_runner import Built
from psycopg.types.json import Jsonb

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
T0 = datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
MARIA, LUIS, GUEST = ("import", "X9"), ("shopify", "202"), ("shopify", "guest@example.com")


def at(hours: float = 0, minutes: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, minutes=minutes)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def md5(*parts: str) -> str:
    return hashlib.md5(":".join(parts).encode()).hexdigest()


def lead(identity: tuple[str, str]) -> str:
    return md5(*identity)


MARIA_CUSTOMER = {
    "id": 101,
    "email": "maria@example.com",
    "first_name": "Maria",
    "last_name": "Lopez",
}
LUIS_CUSTOMER = {
    "id": 202,
    "email": "luis@example.com",
    "phone": "+1 555 0199",
    "first_name": "Luis",
    "last_name": "Ruiz",
}


def checkout(token: str, created: datetime, updated: datetime, **fields: Any) -> dict:
    return {
        "token": token,
        "created_at": iso(created),
        "updated_at": iso(updated),
        "completed_at": None,
        "currency": "USD",
        "line_items": [{"id": 1}],
        "abandoned_checkout_url": f"https://shop.example/recover/{token}",
        **fields,
    }


def order(order_id: int, created: datetime, updated: datetime, **fields: Any) -> dict:
    return {
        "id": order_id,
        "name": f"#{order_id}",
        "created_at": iso(created),
        "updated_at": iso(updated),
        "currency": "USD",
        "cancelled_at": None,
        "line_items": [{"id": 1}],
        **fields,
    }


# topic, resource_id, occurred_at, body - in landing order
# fmt: off
EVENTS = [
    ("checkouts/create", "tok-A", at(0), checkout(
        "tok-A", at(0), at(0), email=" Maria@Example.com ", customer=None, total_price="59.90")),
    ("checkouts/update", "tok-A", at(0, 10), checkout(
        "tok-A", at(0), at(0, 10), email="maria@example.com", customer=None,
        total_price="59.90")),
    # paid lands before create: the latest occurred_at wins, not the latest landing
    ("orders/paid", "1001", at(0, 31), order(
        1001, at(0, 30), at(0, 31), email="maria@example.com", customer=MARIA_CUSTOMER,
        total_price="59.90", financial_status="paid", checkout_token="tok-A",
        line_items=[{"id": 1}, {"id": 2}])),
    ("orders/create", "1001", at(0, 30), order(
        1001, at(0, 30), at(0, 30), email="maria@example.com", customer=MARIA_CUSTOMER,
        total_price="59.90", financial_status="pending", checkout_token="tok-A",
        line_items=[{"id": 1}])),
    ("checkouts/create", "tok-B", at(1), checkout(
        "tok-B", at(1), at(1), email="luis@example.com", phone="+1 555 0199",
        customer=LUIS_CUSTOMER, total_price="20.00")),
    ("orders/create", "1002", at(3), order(
        1002, at(3), at(3), email="luis@example.com", customer=LUIS_CUSTOMER,
        total_price="20.00", financial_status="pending")),
    ("orders/cancelled", "1002", at(4), order(
        1002, at(3), at(4), email="luis@example.com", customer=LUIS_CUSTOMER,
        total_price="20.00", financial_status="voided", cancelled_at=iso(at(4)),
        cancel_reason="customer")),
    ("orders/create", "1003", at(5), order(
        1003, at(5), at(5), email="luis@example.com", customer=LUIS_CUSTOMER,
        total_price="100.00", financial_status="pending")),
    ("orders/paid", "1003", at(5, 1), order(
        1003, at(5), at(5, 1), email="luis@example.com", customer=LUIS_CUSTOMER,
        total_price="100.00", financial_status="paid")),
    ("refunds/create", "9001", at(6), {
        "id": 9001, "order_id": 1003, "created_at": iso(at(6)), "note": "damaged",
        "transactions": [
            {"id": 1, "amount": "30.00", "kind": "refund", "status": "success"},
            {"id": 2, "amount": "10.00", "kind": "refund", "status": "success"},
            {"id": 3, "amount": "5.00", "kind": "refund", "status": "failure"},
        ]}),
    ("orders/create", "1004", at(7), order(
        1004, at(7), at(7), email="Guest@Example.com", customer=None, total_price="15.50",
        financial_status="pending")),
    ("orders/paid", "1004", at(7, 5), order(
        1004, at(7), at(7, 5), email="Guest@Example.com", customer=None, total_price="15.50",
        financial_status="paid")),
    # the guest's checkout after the order: nothing follows it, but its hour is not up
    ("checkouts/create", "tok-C", at(7, 30), checkout(
        "tok-C", at(7, 30), at(7, 30), email="guest@example.com", customer=None,
        total_price="15.50")),
    ("checkouts/update", "tok-C", at(7, 40), checkout(
        "tok-C", at(7, 30), at(7, 40), email="guest@example.com", customer=None,
        total_price="15.50")),
]
CONTACT = {"external_id": "X9", "full_name": "Maria Lopez", "email": " MARIA@example.com"}
# fmt: on


def land(conn: psycopg.Connection) -> None:
    """Insert the known rows the way ingestion lands them."""
    for number, (topic, resource_id, occurred_at, body) in enumerate(EVENTS, start=1):
        text = json.dumps(body, sort_keys=True)
        conn.execute(
            "insert into raw.commerce_events (source, topic, webhook_id, shop_domain,"
            " resource_id, occurred_at, body, body_sha256)"
            " values ('shopify', %s, %s, 'shop.example', %s, %s, %s, %s)",
            (
                topic,
                f"wh-{number}",
                resource_id,
                occurred_at,
                Jsonb(body),
                hashlib.sha256(text.encode()).hexdigest(),
            ),
        )
    record = json.dumps(CONTACT, sort_keys=True)
    conn.execute(
        "insert into raw.contacts (external_id, record, record_sha256, file_name,"
        " line_number, imported_at) values ('X9', %s, %s, 'contacts.csv', 2, %s)",
        (Jsonb(CONTACT), hashlib.sha256(record.encode()).hexdigest(), at(-24)),
    )


@pytest.fixture(scope="module")
def built(build_dbt: Callable[[Callable[[psycopg.Connection], None]], Built]) -> Built:
    """The known rows landed in a clean database and built once for the module."""
    return build_dbt(land)


def test_dbt_build_succeeds_with_commerce_events(built: Built) -> None:
    assert built.build.returncode == 0, built.build.stdout[-5000:]
    assert "ERROR=0" in built.build.stdout


def test_orders_carry_latest_state_status_and_refunds(built: Built) -> None:
    rows = built.rows(
        "select order_id, lead_id, customer_key, created_at, paid_at, cancelled_at, status,"
        " total_price, refunded_amount, net_amount, currency, line_item_count"
        " from marts.fct_orders"
    )
    maria, luis, guest = lead(MARIA), lead(LUIS), lead(GUEST)
    d = Decimal
    assert set(rows) == {
        (
            "1001",
            maria,
            "101",
            at(0, 30),
            at(0, 31),
            None,
            "paid",
            d("59.90"),
            0,
            d("59.90"),
            "USD",
            2,
        ),
        ("1002", luis, "202", at(3), None, at(4), "cancelled", d(20), 0, d(20), "USD", 1),
        ("1003", luis, "202", at(5), at(5, 1), None, "refunded", d(100), d(40), d(60), "USD", 1),
        (
            "1004",
            guest,
            "guest@example.com",
            at(7),
            at(7, 5),
            None,
            "paid",
            d("15.50"),
            0,
            d("15.50"),
            "USD",
            1,
        ),
    }


def test_carts_converted_abandoned_or_open_by_the_newest_event(built: Built) -> None:
    rows = built.rows(
        "select cart_id, lead_id, created_at, updated_at, total_price, currency,"
        " recovered_order_id, status, as_of_at from marts.fct_carts"
    )
    d = Decimal
    assert set(rows) == {
        ("tok-A", lead(MARIA), at(0), at(0, 10), d("59.90"), "USD", "1001", "converted", at(7, 40)),
        ("tok-B", lead(LUIS), at(1), at(1), d(20), "USD", None, "abandoned", at(7, 40)),
        ("tok-C", lead(GUEST), at(7, 30), at(7, 40), d("15.50"), "USD", None, "open", at(7, 40)),
    }


def test_buyer_with_an_imported_email_joins_that_contacts_lead(built: Built) -> None:
    assert built.rows(
        "select customer_key, lead_id, matched_source, matched_source_id, match_rule"
        " from intermediate.int_buyers_matched order by customer_key"
    ) == [
        ("101", lead(MARIA), "import", "X9", "email"),
        ("202", lead(LUIS), "shopify", "202", "own_identity"),
        ("guest@example.com", lead(GUEST), "shopify", "guest@example.com", "own_identity"),
    ]


def test_unknown_buyers_become_shopify_leads(built: Built) -> None:
    assert built.rows(
        "select source, source_id, lead_id from marts.map_identity order by source, source_id"
    ) == [
        ("import", "X9", lead(MARIA)),
        ("shopify", "202", lead(LUIS)),
        ("shopify", "guest@example.com", lead(GUEST)),
    ]
    assert set(
        built.rows("select lead_id, display_name, phone_e164, email from marts.dim_leads")
    ) == {
        (lead(MARIA), "Maria Lopez", None, "MARIA@example.com"),
        (lead(LUIS), "Luis Ruiz", "+15550199", "luis@example.com"),
        (lead(GUEST), None, None, "guest@example.com"),
    }


def test_customers_with_lifetime_value_and_rfm_segment(built: Built) -> None:
    rows = built.rows(
        "select customer_id, lead_id, first_purchase_at, last_purchase_at, order_count,"
        " lifetime_value, recency_score, frequency_score, monetary_score, segment"
        " from marts.dim_customers"
    )
    d = Decimal

    def customer(identity: tuple[str, str]) -> tuple[str, str]:
        return md5("customer", lead(identity)), lead(identity)

    # three customers, one order each: R by last purchase 1..3, F all tied (1), M by value
    assert set(rows) == {
        (*customer(MARIA), at(0, 30), at(0, 30), 1, d("59.90"), 1, 1, 2, "hibernating"),
        (*customer(LUIS), at(5), at(5), 1, d(60), 2, 1, 3, "hibernating"),
        (*customer(GUEST), at(7), at(7), 1, d("15.50"), 3, 1, 1, "promising"),
    }
