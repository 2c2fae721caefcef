"""bench/campaigns.py at a small scale: the generator's month of traffic has the promised
shape and imports cleanly, and the rules audit finds each kind of breach (no timing)."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import UTC, datetime, timedelta

import orjson
import psycopg
import pytest

from crm.conversation.outbox import Outbound, enqueue, template_payload, text_payload
from crm.demo.chat_payloads import whatsapp_text
from crm.demo.invoices_csv import write_invoices_csv
from crm.settings import PROJECT_ROOT
from ingestion.invoices import import_invoices
from ingestion.landing import land, prepare_delivery

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_campaigns", PROJECT_ROOT / "bench" / "campaigns.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_generated_month_scales_and_is_deterministic(bench) -> None:
    shop = bench.generate(0.02, NOW)
    counts = shop.counts()
    assert (counts["people"], counts["carts"], counts["orders"], counts["invoices"]) == (
        80, 200, 60, 40,
    )  # fmt: skip
    assert 0 < counts["opted_out"] < counts["chat_messages"]
    assert all(d.at < NOW for d in shop.commerce)
    assert [d.body for d in bench.generate(0.02, NOW).commerce] == [d.body for d in shop.commerce]
    stops = [json.loads(c) for c in shop.chats]
    texts = {
        m["from"]: m["text"]["body"]
        for body in stops
        for m in body["entry"][0]["changes"][0]["value"]["messages"]
        if m["text"]["body"] == "STOP"
    }
    assert set(texts) == shop.opted_out
    orders = [orjson.loads(d.body) for d in shop.commerce if d.topic == "orders/create"]
    tokens = {orjson.loads(d.body)["token"] for d in shop.commerce if d.topic == "checkouts/create"}
    assert all(order["checkout_token"] in tokens for order in orders)


def test_the_generated_invoices_import_cleanly(bench, db, tmp_path) -> None:
    shop = bench.generate(0.02, NOW)
    path = tmp_path / "invoices.csv"
    write_invoices_csv(shop.invoices, path)
    report = import_invoices(path)
    assert (report.errors, report.inserted) == ([], 40)
    dues = [datetime.fromisoformat(i["due"]).date() for i in shop.invoices]
    assert min(dues) >= NOW.date() - timedelta(days=20)
    assert max(dues) <= NOW.date() + timedelta(days=10)
    assert any(i["paid_at"] for i in shop.invoices) and not all(i["paid_at"] for i in shop.invoices)


def _message(db: str, wamid: str, wa_id: str, at: datetime) -> None:
    body = json.dumps(whatsapp_text(wamid, wa_id, "Hola", at.timestamp())).encode()
    land(db, [prepare_delivery(body)])


def _queue(conn: psycopg.Connection, wa_id: str, kind: str, key: str, purpose: str) -> None:
    body = (
        text_payload("whatsapp", wa_id, "hola")
        if kind == "text"
        else template_payload(wa_id, "payment_reminder_due", "es")
    )
    enqueue(conn, Outbound("whatsapp", wa_id, kind, body, purpose, key))


def test_the_audit_counts_each_kind_of_breach(bench, db, tmp_path) -> None:
    now = datetime.now(UTC)
    _message(db, "wamid.a", "50760000001", now - timedelta(hours=2))  # window open
    _message(db, "wamid.b", "50760000002", now - timedelta(hours=30))  # window closed
    path = tmp_path / "inv.csv"
    path.write_text(
        "number,phone,amount,currency,issued,due,paid_at\n"
        f"P-1,+50760000001,10,USD,2026-01-01,2026-01-31,{now - timedelta(days=1):%FT%TZ}\n"
        "P-2,+50760000001,10,USD,2026-01-01,2026-01-31,\n"
    )
    import_invoices(path)
    with psycopg.connect(db, autocommit=True) as conn:
        assert set(bench.audit(conn).values()) == {0}
        _queue(conn, "50760000001", "text", "reply:1", "reply")  # inside the window: fine
        _queue(conn, "50760000002", "template", "remind:P-2:due", "payment_reminder")  # fine
        _queue(conn, "50760000002", "text", "followup:2:1", "followup")  # outside: breach
        _queue(conn, "50760000001", "template", "remind:P-1:after_3", "payment_reminder")  # paid
        conn.execute(
            "insert into app.opt_outs (channel, person_id, opted_out_at)"
            " values ('whatsapp', '50760000001', clock_timestamp())"
        )
        # the engine's one confirmation is allowed; a later message is a breach (enqueue
        # itself refuses it, so it is written here the way a buggy flow would)
        _queue(conn, "50760000001", "text", "optout:1", "opt_out")
        conn.execute(
            "insert into app.outbox (channel, recipient_id, kind, purpose, body, idempotency_key)"
            " values ('whatsapp', '50760000001', 'template', 'nurturing', '{}', 'nurture:1')"
        )
        found = bench.audit(conn)
        queued = bench.queued_by_flow(conn, now - timedelta(minutes=5))
    assert found == {
        "messages after an opt-out": 1,
        "free-form texts outside the 24 h window": 1,
        "reminders for invoices already paid": 1,
        "reminder steps sent twice": 0,
    }
    assert queued[("payment_reminder", "template")] == 2 and queued[("reply", "text")] == 1
