"""Payment reminders (flow 13): each step on its day in an escalating tone, stopped when
paid, never twice, and only where the channel's rules and the customer allow."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from crm.campaigns.reminder_steps import StepsError, parse_steps
from crm.campaigns.reminders import Action, ReminderConfig, remind_payments
from crm.settings import get_settings
from ingestion.invoices import import_invoices

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(hours=72)  # outside the 24 h window
DUE = date(2026, 11, 29)
HEADER = "number,email,phone,amount,currency,issued,due,paid_at\n"


@pytest.fixture
def config() -> ReminderConfig:
    """The default ladder: -3, 0, +3, +7, +14 days."""
    return ReminderConfig.from_settings(get_settings())


@pytest.fixture
def invoice(conn: psycopg.Connection, tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Import one invoice as `crm import invoices` would, and give it a lead in a small
    marts.fct_invoices of its own (dbt's, if any, is moved aside and put back)."""
    built = conn.execute("select to_regclass('marts.fct_invoices')").fetchone()[0]
    if built:
        conn.execute("alter table marts.fct_invoices rename to fct_invoices__saved")
    conn.execute("create table marts.fct_invoices (invoice_number text, lead_id text)")

    def add(number: str, lead_id: str | None, due: date = DUE, paid_at: str = "", **contact: str):
        email, phone = (
            contact.get("email", f"{number.lower()}@example.com"),
            contact.get("phone", ""),
        )
        path = tmp_path / f"{number}-{paid_at[:10]}.csv"
        path.write_text(
            HEADER + f"{number},{email},{phone},1234.5,USD,2026-11-01,{due},{paid_at}\n"
        )
        assert not import_invoices(path).errors
        conn.execute("insert into marts.fct_invoices values (%s, %s)", (number, lead_id))

    yield add
    conn.execute("drop table marts.fct_invoices")
    if built:
        conn.execute("alter table marts.fct_invoices__saved rename to fct_invoices")


def run(conn: psycopg.Connection, config: ReminderConfig, on: date) -> dict[str, Action]:
    return {a.invoice_number: a for a in remind_payments(conn, config, NOW, as_of=on)}


def queued(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "select idempotency_key, kind, channel, purpose, body from app.outbox order by outbox_id"
    ).fetchall()


def test_each_step_goes_out_on_its_day_with_the_steps_template(conn, config, lead, invoice):
    lead("L1", phone="+50761110001", last_inbound_at=LONG_AGO)  # outside the window
    invoice("INV-1", "L1")
    days = {-4: None, -3: "before_3", -1: None, 0: "due", 3: "after_3", 5: None,
            7: "after_7", 14: "after_14", 20: None}  # fmt: skip
    for offset, step in days.items():
        action = run(conn, config, DUE + timedelta(days=offset))["INV-1"]
        assert (action.action == "sent") == (step is not None), (offset, action)
        if step:
            assert (action.step, action.days_from_due, action.kind) == (step, offset, "template")
    assert run(conn, config, DUE - timedelta(days=4))["INV-1"].reason == "not_due_yet"
    rows = queued(conn)
    assert [r[0] for r in rows] == [f"remind:INV-1:{s}" for s in days.values() if s]
    templates = [r[4]["template"]["name"] for r in rows]
    assert templates == [
        "payment_reminder_upcoming", "payment_reminder_due", "payment_reminder_overdue",
        "payment_reminder_overdue", "payment_reminder_final",
    ]  # fmt: skip
    parameters = rows[0][4]["template"]["components"][0]["parameters"]
    assert [p["text"] for p in parameters] == ["INV-1", "1,234.50 USD", "2026-11-29"]
    assert {r[3] for r in rows} == {"payment_reminder"} and rows[0][4]["to"] == "50761110001"


def test_the_tone_escalates_from_friendly_to_firm_to_final(conn, config, lead, invoice):
    lead("L1", last_inbound_at=NOW - timedelta(hours=1), language="es")  # inside the window: text
    lead("L2", last_inbound_at=NOW - timedelta(hours=1), language="en")
    for n, due in enumerate((DUE, DUE - timedelta(days=5), DUE - timedelta(days=16))):
        invoice(f"ES-{n}", "L1", due=due)
        invoice(f"EN-{n}", "L2", due=due)
    actions = run(conn, config, DUE)
    assert [actions[f"ES-{n}"].tone for n in range(3)] == ["friendly", "firm", "final"]
    texts = {key.split(":")[1]: body["text"]["body"] for key, kind, *_, body in queued(conn)}
    assert "vence hoy" in texts["ES-0"] and "Si ya la pagaste" in texts["ES-0"]
    assert "venció el 2026-11-24" in texts["ES-1"] and "5 días de atraso" in texts["ES-1"]
    assert texts["ES-2"].startswith("Aviso final") and "cobranza" in texts["ES-2"]
    assert "due today" in texts["EN-0"] and "friendly reminder" in texts["EN-0"]
    assert "5 days overdue" in texts["EN-1"] and texts["EN-2"].startswith("Final notice")


def test_a_paid_invoice_gets_nothing_even_before_the_mart_knows(conn, config, lead, invoice):
    lead("L1", phone="+50761110001", last_inbound_at=LONG_AGO)
    invoice("INV-1", "L1")
    assert run(conn, config, DUE)["INV-1"].action == "sent"
    invoice("INV-1", "L1", paid_at="2026-12-01T10:00:00Z")  # a later import: raw only
    action = run(conn, config, DUE + timedelta(days=3))["INV-1"]
    assert (action.action, action.reason) == ("skipped", "paid")
    assert [r[0] for r in queued(conn)] == ["remind:INV-1:due"]


def test_no_step_is_sent_twice_across_runs(conn, config, lead, invoice):
    lead("L1", phone="+50761110001", last_inbound_at=LONG_AGO)
    invoice("INV-1", "L1")
    first = run(conn, config, DUE + timedelta(days=3))["INV-1"]
    again = run(conn, config, DUE + timedelta(days=3))["INV-1"]
    next_day = run(conn, config, DUE + timedelta(days=4))["INV-1"]
    assert first.reason == "sent" and again.reason == next_day.reason == "already_sent"
    assert len(queued(conn)) == 1
    logged = conn.execute("select invoice_number, step, tone, outbox_id from app.payment_reminders")
    assert logged.fetchall() == [("INV-1", "after_3", "firm", first.outbox_id)]


def test_opted_out_and_unreachable_customers_are_skipped(conn, config, lead, invoice):
    lead("L1", phone="+50761110001", last_inbound_at=LONG_AGO)
    conn.execute("insert into app.opt_outs (channel, person_id) values ('whatsapp', '50761110001')")
    invoice("INV-1", "L1")
    invoice("INV-2", None)  # e-mail only, nobody we know
    invoice("INV-3", None, phone="+507 6111-0003")  # unknown lead, but a phone: WhatsApp
    actions = run(conn, config, DUE)
    assert (actions["INV-1"].reason, actions["INV-2"].reason) == ("opted_out", "no_contact")
    assert (actions["INV-3"].reason, actions["INV-3"].kind) == ("sent", "template")
    assert [r[0] for r in queued(conn)] == ["remind:INV-3:due"]


def test_messenger_gets_text_inside_the_window_and_nothing_outside(conn, config, lead, invoice):
    lead("L1", channel="messenger", last_inbound_at=NOW - timedelta(hours=2))
    lead("L2", channel="messenger", last_inbound_at=NOW - timedelta(hours=30))
    invoice("INV-1", "L1")
    invoice("INV-2", "L2")
    actions = run(conn, config, DUE)
    assert (actions["INV-1"].reason, actions["INV-1"].kind) == ("sent", "text")
    assert (actions["INV-2"].action, actions["INV-2"].reason) == ("skipped", "outside_window")
    assert [(r[0], r[1], r[2]) for r in queued(conn)] == [("remind:INV-1:due", "text", "messenger")]


def test_listed_invoices_only_and_unknown_numbers_said_so(conn, config, lead, invoice):
    lead("L1", phone="+50761110001", last_inbound_at=LONG_AGO)
    invoice("INV-1", "L1")
    invoice("INV-2", "L1")
    actions = remind_payments(conn, config, NOW, as_of=DUE, invoice_numbers=["INV-2", "NOPE"])
    assert [(a.invoice_number, a.reason) for a in actions] == [
        ("INV-2", "sent"),
        ("NOPE", "not_found"),
    ]


@pytest.mark.parametrize(
    ("spec", "problem"),
    [("-3:a,x:b", "whole number"), ("-3:a,0:", "no template"), ("0:a,0:b", "each day offset")],
)
def test_a_bad_ladder_is_refused_naming_the_part(spec: str, problem: str) -> None:
    with pytest.raises(StepsError, match=problem):
        parse_steps(spec)
