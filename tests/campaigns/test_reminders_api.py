"""The doors to payment reminders: `POST /api/v1/payments/remind` over real HTTP, and the
Dagster job the daily schedule runs, executed in-process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

from crm.campaigns.reminders import local_today
from crm.settings import get_settings
from ingestion.invoices import import_invoices

HEADER = "number,email,phone,amount,currency,issued,due,paid_at\n"


def _today() -> datetime:
    return datetime.now(UTC)


def _import(tmp_path: Path, *rows: str) -> None:
    path = tmp_path / "invoices.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n")
    assert not import_invoices(path).errors


def _outbox(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select idempotency_key, kind, recipient_id from app.outbox order by outbox_id"
        ).fetchall()


def test_remind_over_http_sends_once_and_explains_the_rest(client: httpx.Client, db, tmp_path):
    today = local_today(_today(), get_settings().business_timezone)
    _import(
        tmp_path,
        f"D-1,,+507 6222-0001,80,USD,{today - timedelta(days=20)},{today - timedelta(days=7)},",
        f"D-2,,+507 6222-0002,90,USD,{today - timedelta(days=20)},{today},{today}T08:00:00Z",
        f"D-3,,+507 6222-0003,95,USD,{today},{today + timedelta(days=10)},",
    )
    first = client.post("/api/v1/payments/remind", json={})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["as_of"] == today.isoformat() and (body["sent"], body["skipped"]) == (1, 2)
    reasons = {a["invoice_number"]: (a["reason"], a["tone"]) for a in body["actions"]}
    assert reasons == {
        "D-1": ("sent", "firm"),
        "D-2": ("paid", None),
        "D-3": ("not_due_yet", None),
    }
    again = client.post("/api/v1/payments/remind", json={"invoice_numbers": ["D-1"]})
    assert again.json()["by_reason"] == {"already_sent": 1}
    assert _outbox(db) == [("remind:D-1:after_7", "template", "50762220001")]


def test_bad_input_is_a_422_naming_the_field(client: httpx.Client) -> None:
    for payload, field in (
        ({"as_of": "next tuesday"}, "as_of"),
        ({"invoice_numbers": ["  "]}, "invoice_numbers.0"),
        ({"invoice_numbers": "D-1"}, "invoice_numbers"),
        ({"dry_run": True}, "dry_run"),
    ):
        response = client.post("/api/v1/payments/remind", json=payload)
        assert response.status_code == 422, payload
        assert response.json()["error"]["field"] == field


def test_remind_needs_an_api_key(api: str) -> None:
    response = httpx.post(f"{api}/api/v1/payments/remind", json={}, timeout=10)
    assert response.status_code == 401


def test_the_daily_schedules_job_sends_the_steps_due_today(db, tmp_path) -> None:
    from orchestration.definitions import defs

    today = local_today(_today(), get_settings().business_timezone)
    _import(tmp_path, f"J-1,,+507 6333-0001,50,USD,{today - timedelta(days=30)},{today},")
    schedule = defs.resolve_schedule_def("daily_payment_reminders")
    assert schedule.job_name == "payment_reminders" and schedule.cron_schedule == "0 14 * * *"
    result = defs.resolve_job_def("payment_reminders").execute_in_process()
    assert result.success
    assert result.output_for_node("send_payment_reminders") == {"sent": 1}
    assert _outbox(db) == [("remind:J-1:due", "template", "50763330001")]
