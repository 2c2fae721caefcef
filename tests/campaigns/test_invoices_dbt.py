"""fct_invoices built by real dbt from invoices imported as `crm import invoices` lands them:
the latest version wins, statuses and days overdue as of today, and each invoice linked to
the lead of the identity with its e-mail or phone."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from crm.demo.chat_payloads import whatsapp_text
from ingestion.contacts import import_contacts
from ingestion.invoices import import_invoices
from ingestion.landing import land, prepare_delivery

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))
from dbt_runner import Built, run_dbt  # tests/dbt's helper

TODAY = datetime.now(UTC).date()
HEADER = "number,email,phone,amount,currency,issued,due,paid_at\n"


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def md5(*parts: str) -> str:
    return hashlib.md5(":".join(parts).encode()).hexdigest()


@pytest.fixture(scope="module")
def built(
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    empty_landing: Callable[[psycopg.Connection], None],
) -> Built:
    """A contact (Ana, by e-mail), a WhatsApp sender (Luis, by phone), five invoices, two
    imports (the second marks one paid), then `dbt build`."""
    tmp = tmp_path_factory.mktemp("invoices-dbt")
    with psycopg.connect(database_url, autocommit=True) as conn:
        empty_landing(conn)
    (tmp / "contacts.csv").write_text("external_id,full_name,email\nC-1,Ana Díaz,ana@example.com\n")
    import_contacts(tmp / "contacts.csv")
    message = whatsapp_text("wamid.inv.1", "50761112222", "Hola", name="Luis")
    land(database_url, [prepare_delivery(json.dumps(message).encode())])
    rows = [
        f"A-1,Ana@Example.com,,100,USD,{day(-10)},{day(5)},",  # due, Ana by e-mail
        f"A-2,,+507 6111-2222,200,USD,{day(-30)},{day(-4)},",  # overdue, Luis by phone
        f"A-3,ana@example.com,,300,USD,{day(-30)},{day(-9)},{day(-7)}T12:00:00Z",  # paid late
        f"A-4,nobody@example.com,,400,USD,{day(-30)},{day(-2)},",  # paid by the 2nd file
        f"A-5,,+507 6999-0000,500,USD,{day(-30)},{day(0)},",  # due today, unknown phone
    ]
    (tmp / "first.csv").write_text(HEADER + "\n".join(rows) + "\n")
    assert not import_invoices(tmp / "first.csv").errors
    rows[3] = rows[3] + f"{day(-1)}T09:00:00Z"
    (tmp / "second.csv").write_text(HEADER + "\n".join(rows) + "\n")
    assert import_invoices(tmp / "second.csv").inserted == 1
    # the invoice models, dim_leads (their relationships tests' target) and what they read
    selection = ["--select", "+fct_invoices", "+dim_leads", "--indirect-selection", "buildable"]
    return Built(database_url, run_dbt(database_url, tmp, "build", *selection), tmp)


def test_dbt_build_passes_with_the_invoice_models_and_tests(built: Built) -> None:
    assert built.build.returncode == 0, built.build.stdout[-3000:]
    for test in (
        "fct_invoices::fct_invoices_status_and_days_overdue",  # the unit test
        "relationships_fct_invoices_lead_id__lead_id__ref_dim_leads_",
        "unique_stg_billing__invoices_invoice_number",
    ):
        assert f"PASS {test}" in built.build.stdout


def test_statuses_days_overdue_and_the_latest_version(built: Built) -> None:
    rows = built.rows(
        "select invoice_number, status, days_overdue, amount, version_count, as_of_date"
        " from marts.fct_invoices order by invoice_number"
    )
    assert [(r[0], r[1], r[2], int(r[3]), r[4]) for r in rows] == [
        ("A-1", "due", 0, 100, 1),
        ("A-2", "overdue", 4, 200, 1),
        ("A-3", "paid", 2, 300, 1),
        ("A-4", "paid", 1, 400, 2),
        ("A-5", "due", 0, 500, 1),
    ]
    assert {r[5] for r in rows} == {date.fromisoformat(day(0))}


def test_invoices_link_to_leads_by_email_then_phone(built: Built) -> None:
    rows = dict(
        (r[0], (r[1], r[2]))
        for r in built.rows("select invoice_number, lead_id, match_rule from marts.fct_invoices")
    )
    assert rows["A-1"] == (md5("import", "C-1"), "email")  # e-mail case does not matter
    assert rows["A-3"] == (md5("import", "C-1"), "email")
    assert rows["A-2"] == (md5("whatsapp", "50761112222"), "phone")  # national spelling
    assert rows["A-4"] == (None, None) and rows["A-5"] == (None, None)
