"""Land an invoice export (CSV) in `raw.invoices`: all of the file or, when a line is bad,
none of it.

Invoices drive payment reminders, so a half-imported file (some invoices updated, others
not) would remind people of bills they paid. Every line is therefore checked first, each
problem reported with its line number, and the rows are written in one transaction only
when every line is good. Exports come from accounting tools and spreadsheets: UTF-8 with
or without a BOM, `,` or `;` between fields, headers in English or Spanish in any case
(`number` / `número` / `factura` ...), amounts as `1234.50`, `1.234,50` or `1,234.50`,
dates as ISO `2026-11-30` or day-first `30/11/2026`. Each version of an invoice lands once
(sha256 of its parsed values), so re-importing a file adds nothing while a later file that
sets `paid_at` or corrects the amount lands as the newer version, which wins downstream.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.dialects.postgresql import insert

from crm.database import get_engine
from crm.settings import get_settings
from ingestion.contacts import UNDECODABLE, ImportReport, RowError
from ingestion.hygiene.emails import clean_email
from ingestion.hygiene.phones import clean_phone
from ingestion.meta.events import canonical_json
from ingestion.tables import invoices

CHUNK = 1000
NAMES = {
    "number": ("number", "invoice_number", "invoice", "invoice_no", "numero", "factura"),
    "email": ("email", "e_mail", "customer_email", "correo", "mail"),
    "phone": ("phone", "customer_phone", "telefono", "mobile", "celular", "whatsapp"),
    "amount": ("amount", "total", "monto", "importe"),
    "currency": ("currency", "moneda", "divisa"),
    "issued": (
        "issued",
        "issued_on",
        "issue_date",
        "issued_at",
        "fecha",
        "emision",
        "fecha_emision",
    ),
    "due": ("due", "due_on", "due_date", "due_at", "vencimiento", "fecha_vencimiento"),
    "paid_at": ("paid_at", "paid", "paid_on", "payment_date", "pagado", "fecha_pago"),
}
ALIASES = {  # and the "fecha de ..." spelling of every "fecha_..." name
    column: (*names, *(n.replace("fecha_", "fecha_de_") for n in names if "fecha_" in n))
    for column, names in NAMES.items()
}
REQUIRED = ("number", "amount", "currency", "issued", "due")
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2}))?$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class _Line:
    number: int
    values: dict[str, str]


def import_invoices(path: str | Path) -> ImportReport:
    """Check every line of `path`; land them all in raw.invoices only if none is bad."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    report = ImportReport()
    records = _records(text, path.name, report)
    if report.errors:
        return report
    with get_engine().begin() as conn:  # one transaction: the whole file or nothing
        for start in range(0, len(records), CHUNK):
            statement = (
                insert(invoices)
                .values(records[start : start + CHUNK])
                .on_conflict_do_nothing(index_elements=["invoice_number", "record_sha256"])
                .returning(invoices.c.id)
            )
            report.inserted += len(conn.execute(statement).fetchall())
    report.unchanged = len(records) - report.inserted
    return report


def header_key(name: str) -> str:
    """`Fecha de Vencimiento ` -> `fecha_de_vencimiento`: accents, case, spaces folded."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def _columns(header: list[str]) -> tuple[dict[str, int], str | None]:
    """Our column -> its position in the file, or why the header cannot be used."""
    keys = [header_key(name) for name in header]
    found: dict[str, int] = {}
    for column, aliases in ALIASES.items():
        positions = [i for i, key in enumerate(keys) if key in aliases]
        if len(positions) > 1:
            names = ", ".join(header[i] for i in positions)
            return {}, f"the header names {column} twice ({names})"
        if positions:
            found[column] = positions[0]
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        return {}, f"the header has no {', '.join(missing)} column"
    if "email" not in found and "phone" not in found:
        return {}, "the header has neither an email nor a phone column"
    return found, None


def _lines(text: str, report: ImportReport) -> Iterator[_Line]:
    """Each data line as {our column: text}; header and shape problems go to `report`."""
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    columns, problem = _columns(header)
    if problem:
        report.errors.append(RowError(1, problem))
    line = reader.line_num
    for values in reader:
        first_line, line = line + 1, reader.line_num
        if not values or all(not value.strip() for value in values):
            continue
        report.rows += 1
        if problem:
            continue
        if len(values) != len(header):
            report.errors.append(
                RowError(first_line, f"expected {len(header)} fields, found {len(values)}")
            )
        elif any(UNDECODABLE.search(v) or "\x00" in v for v in values):
            report.errors.append(RowError(first_line, "the line has bytes that are not UTF-8"))
        else:
            yield _Line(first_line, {c: values[i].strip() for c, i in columns.items()})


def _records(text: str, file_name: str, report: ImportReport) -> list[dict[str, Any]]:
    """The rows to insert (only meaningful when `report.errors` stays empty)."""
    region = get_settings().default_region
    first_seen: dict[str, int] = {}
    records = []
    for line in _lines(text, report):
        try:
            parsed = parse_invoice(line.values, region)
        except ValueError as problem:
            report.errors.append(RowError(line.number, str(problem)))
            continue
        digest = hashlib.sha256(canonical_json(parsed).encode()).hexdigest()
        number = parsed["invoice_number"]
        if number in first_seen:
            message = f"invoice {number} is already on line {first_seen[number]} of this file"
            report.errors.append(RowError(line.number, message))
            continue
        first_seen[number] = line.number
        records.append(
            _typed(parsed)
            | {
                "record": line.values,
                "record_sha256": digest,
                "file_name": file_name,
                "line_number": line.number,
            }
        )
    return records


def parse_invoice(values: dict[str, str], region: str) -> dict[str, str | None]:
    """One line's values checked and in canonical text form; ValueError names the field."""
    number = values["number"]
    if not number:
        raise ValueError("number is empty")
    email, phone, phone_e164 = _contact(values.get("email", ""), values.get("phone", ""), region)
    currency = values["currency"].upper()
    if not CURRENCY.match(currency):
        raise ValueError(f"currency {values['currency']!r} is not a 3-letter ISO code")
    issued, due = parse_date(values["issued"], "issued"), parse_date(values["due"], "due")
    if due < issued:
        raise ValueError(f"due {due} is before issued {issued}")
    paid = values.get("paid_at", "")
    return {
        "invoice_number": number,
        "customer_email": email,
        "customer_phone": phone,
        "phone_e164": phone_e164,
        "amount": str(parse_amount(values["amount"])),
        "currency": currency,
        "issued_on": issued.isoformat(),
        "due_on": due.isoformat(),
        "paid_at": parse_moment(paid, "paid_at").isoformat() if paid else None,
    }


def _contact(email: str, phone: str, region: str) -> tuple[str | None, str | None, str | None]:
    """(e-mail, phone as written, E.164 phone): at least one way to reach the customer."""
    if not email and not phone:
        raise ValueError("email and phone are both empty: the customer cannot be reached")
    if email and not clean_email(email).valid:
        raise ValueError(f"email {email!r} is not a valid address")
    cleaned = clean_phone(phone, region) if phone else None
    if cleaned is not None and cleaned.e164 is None:  # numbering plans lag: possible is enough
        raise ValueError(f"phone {phone!r} is not a phone number ({cleaned.issue})")
    return email or None, phone or None, cleaned.e164 if cleaned else None


def parse_amount(text: str) -> Decimal:
    """`1234.5`, `1,234.50`, `1.234,50`, `1234,50` -> Decimal; the last separator followed
    by one or two digits is the decimal one."""
    digits = re.sub(r"[^\d.,-]", "", text)
    last = max(digits.rfind(","), digits.rfind("."))
    if last >= 0 and 0 < len(digits) - last - 1 <= 2:
        whole, cents = digits[:last], digits[last + 1 :]
        digits = re.sub(r"[.,]", "", whole) + "." + cents
    else:
        digits = re.sub(r"[.,]", "", digits)
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"amount {text!r} is not a number") from None
    if amount < 0:
        raise ValueError(f"amount {text!r} is negative")
    return amount.quantize(Decimal("0.01"))


def parse_date(text: str, field: str) -> date:
    """ISO `2026-11-30` or day-first `30/11/2026` (also `.` or `-` between)."""
    return parse_moment(text, field).date()


def parse_moment(text: str, field: str) -> datetime:
    """A date or a date and time; without a zone it is UTC."""
    match = DAY_FIRST.match(text)
    try:
        if match:
            day, month, year, hour, minute = match.groups()
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        else:
            moment = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ValueError(f"{field} {text!r} is not a date (use 2026-11-30 or 30/11/2026)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _typed(parsed: dict[str, str | None]) -> dict[str, Any]:
    """The canonical text values as the table's column types."""
    paid = parsed["paid_at"]
    return parsed | {
        "amount": Decimal(parsed["amount"] or "0"),
        "issued_on": date.fromisoformat(parsed["issued_on"] or ""),
        "due_on": date.fromisoformat(parsed["due_on"] or ""),
        "paid_at": datetime.fromisoformat(paid) if paid else None,
    }
