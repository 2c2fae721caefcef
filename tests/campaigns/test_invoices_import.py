"""`crm import invoices`: separators, BOM, header aliases, bad lines by number with nothing
written, and re-imports that update an invoice instead of duplicating it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from crm.cli import app
from ingestion.invoices import import_invoices, parse_amount

HEADER = "number,email,phone,amount,currency,issued,due,paid_at\n"
ROWS = (
    "F-001,ana@example.com,+507 6123-4567,1250.00,USD,2026-11-01,2026-11-30,\n"
    "F-002,,6234-5678,99.5,usd,2026-11-02,2026-12-02,\n"
)


def _write(tmp_path: Path, content: str | bytes, name: str = "invoices.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _invoices(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select invoice_number, customer_email, phone_e164, amount, currency, issued_on,"
            " due_on, paid_at, file_name, line_number from raw.invoices order by id"
        ).fetchall()


def test_a_good_file_lands_typed_with_its_lineage(db, tmp_path) -> None:
    result = CliRunner().invoke(app, ["import", "invoices", str(_write(tmp_path, HEADER + ROWS))])
    assert result.exit_code == 0, result.output
    assert "2 new or updated, 0 unchanged of 2" in result.output
    first, second = _invoices(db)
    assert first == (
        "F-001", "ana@example.com", "+50761234567", Decimal("1250.00"), "USD",
        date(2026, 11, 1), date(2026, 11, 30), None, "invoices.csv", 2,
    )  # fmt: skip
    # a national number is read in DEFAULT_REGION (PA); currency upper-cased
    assert second[0] == "F-002" and second[2] == "+50762345678" and second[4] == "USD"
    assert second[3] == Decimal("99.50") and second[9] == 3


def test_bom_semicolons_spanish_headers_and_day_first_dates(db, tmp_path) -> None:
    content = (
        "Número ; Correo ;Teléfono;Monto;Moneda;Fecha;Fecha de vencimiento;Fecha pago\n"
        "F-9;ANA@example.com;+507 6123 4567;1.234,50;EUR;01/11/2026;30/11/2026;29/11/2026 15:30\n"
    ).encode("utf-8-sig")
    report = import_invoices(_write(tmp_path, content))
    assert (report.inserted, report.errors) == (1, [])
    [row] = _invoices(db)
    assert row[0] == "F-9" and row[3] == Decimal("1234.50") and row[4] == "EUR"
    assert (row[5], row[6]) == (date(2026, 11, 1), date(2026, 11, 30))
    assert row[7] == datetime(2026, 11, 29, 15, 30, tzinfo=UTC)


def test_bad_lines_are_reported_by_number_and_nothing_is_written(db, tmp_path) -> None:
    content = (
        HEADER
        + ROWS
        + (
            "F-003,not-an-email,,10,USD,2026-11-01,2026-11-30,\n"
            "F-004,b@example.com,,ten,USD,2026-11-01,2026-11-30,\n"
            "F-005,c@example.com,,10,USD,2026-11-30,2026-11-01,\n"
            "F-006,,,10,USD,2026-11-01,2026-11-30,\n"
            "F-001,ana@example.com,,10,USD,2026-11-01,2026-11-30,\n"
            "F-007,d@example.com,,10,US,2026-11-01,2026-11-30\n"
            "F-008,,call me,10,USD,2026-11-01,2026-11-30,\n"
        )
    )
    path = _write(tmp_path, content)
    result = CliRunner().invoke(app, ["import", "invoices", str(path)])
    assert result.exit_code == 1
    lines = {
        int(line.split(":")[1]): line
        for line in result.output.splitlines()
        if line.startswith(str(path))
    }
    assert sorted(lines) == [4, 5, 6, 7, 8, 9, 10]
    assert "email" in lines[4] and "amount" in lines[5] and "before issued" in lines[6]
    assert "cannot be reached" in lines[7] and "already on line 2" in lines[8]
    assert "expected 8 fields" in lines[9] and "phone 'call me'" in lines[10]
    assert "nothing imported" in result.output
    assert _invoices(db) == []  # the good lines 2 and 3 were not written either


def test_a_header_without_required_columns_is_refused(db, tmp_path) -> None:
    report = import_invoices(_write(tmp_path, "number,email,amount\nF-1,a@b.co,1\n"))
    assert [(e.line_number, e.message) for e in report.errors] == [
        (1, "the header has no currency, issued, due column")
    ]
    assert _invoices(db) == []


def test_reimport_is_idempotent_and_a_later_file_marks_the_invoice_paid(db, tmp_path) -> None:
    path = _write(tmp_path, HEADER + ROWS)
    import_invoices(path)
    again = import_invoices(path)
    assert (again.inserted, again.unchanged) == (0, 2)
    paid = ROWS.replace("2026-11-30,\n", "2026-11-30,2026-11-28T10:00:00-05:00\n")
    later = import_invoices(_write(tmp_path, HEADER + paid, "payments.csv"))
    assert (later.inserted, later.unchanged) == (1, 1)
    with psycopg.connect(db) as conn:
        latest = conn.execute(
            "select distinct on (invoice_number) invoice_number, paid_at, file_name"
            " from raw.invoices order by invoice_number, loaded_at desc, id desc"
        ).fetchall()
    assert latest == [
        ("F-001", datetime(2026, 11, 28, 15, 0, tzinfo=UTC), "payments.csv"),
        ("F-002", None, "invoices.csv"),
    ]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1234.5", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1234,5", "1234.50"),
        ("1,234", "1234.00"),
        ("$ 99", "99.00"),
    ],
)
def test_amounts_in_either_decimal_convention(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)
