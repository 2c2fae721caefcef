"""Land a CRM contact export (CSV) in `raw.contacts`, one row per distinct contact version.

Exports come from spreadsheets and other CRMs: UTF-8 with or without a BOM, `,` or `;`
between fields, header names in any case. Every row is kept verbatim (all columns as
text, extra columns included) with its file name and line number; its sha256 over the
canonical row makes a re-import insert nothing, while a changed row lands as a new
version. A bad row is reported with its line number and never stops the good ones.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.dialects.postgresql import insert

from crm.database import get_engine
from ingestion.meta.events import canonical_json
from ingestion.tables import contacts

COLUMNS = (
    "external_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "phone",
    "company",
    "street",
    "city",
    "postcode",
    "state",
    "country",
    "date_of_birth",
)
CHUNK = 1000
UNDECODABLE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8 (surrogateescape)


@dataclass(frozen=True)
class RowError:
    line_number: int
    message: str


@dataclass
class ImportReport:
    """What an import did: data rows read, versions inserted, rows already stored, rejects."""

    rows: int = 0
    inserted: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def import_contacts(path: str | Path) -> ImportReport:
    """Read `path` and land its good rows in raw.contacts (idempotent per external_id)."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    report = ImportReport()
    records = list(_records(text, path.name, report))
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        statement = (
            insert(contacts)
            .values(chunk)
            .on_conflict_do_nothing(index_elements=["external_id", "record_sha256"])
            .returning(contacts.c.id)
        )
        with get_engine().begin() as conn:
            report.inserted += len(conn.execute(statement).fetchall())
    report.unchanged = len(records) - report.inserted
    return report


def _records(text: str, file_name: str, report: ImportReport) -> Iterator[dict]:
    """The rows to insert; rejected rows go to `report.errors` (rows counts both)."""
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    problem = _header_problem(header)
    if problem:
        report.errors.append(RowError(1, problem))
    line = reader.line_num
    for values in reader:
        first_line, line = line + 1, reader.line_num
        if not values or values == [""]:
            continue
        report.rows += 1
        if problem:
            continue
        message = _row_problem(header, values)
        if message:
            report.errors.append(RowError(first_line, message))
            continue
        record = dict(zip(header, values, strict=True))
        yield {
            "external_id": record["external_id"].strip(),
            "record": record,
            "record_sha256": hashlib.sha256(canonical_json(record).encode()).hexdigest(),
            "file_name": file_name,
            "line_number": first_line,
        }


def _header_problem(header: list[str]) -> str | None:
    """Why no row of the file can be imported, judging by its header (None when fine)."""
    if "external_id" not in header:
        return "the header has no external_id column"
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        return f"the header repeats column(s) {', '.join(duplicates)}"
    return None


def _row_problem(header: list[str], values: list[str]) -> str | None:
    """Why this row cannot be imported (None when it can)."""
    if len(values) != len(header):
        return f"expected {len(header)} fields, found {len(values)}"
    if any(UNDECODABLE.search(value) for value in values):
        return "the row has bytes that are not valid UTF-8"
    if any("\x00" in value for value in values):
        return "the row contains a NUL character, which PostgreSQL cannot store"
    if not values[header.index("external_id")].strip():
        return "external_id is empty"
    return None
