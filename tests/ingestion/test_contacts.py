"""Contact CSV import: encodings, separators, bad rows by line number, idempotent re-import."""

from __future__ import annotations

from pathlib import Path

import psycopg
from typer.testing import CliRunner

from crm.cli import app
from ingestion.contacts import import_contacts

HEADER = "external_id,first_name,last_name,email,phone,country,loyalty_tier\n"
ROWS = (
    "C-001,María,Fernández,maria@example.com,+507 6123-4567,PA,gold\n"
    "C-002,John,Smith,john@example.com,+1 415 555 0123,US,\n"
)


def _write(tmp_path: Path, content: bytes, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _records(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "select external_id, record, file_name, line_number from raw.contacts order by id"
        ).fetchall()


def test_rows_land_verbatim_with_extra_columns_and_line_numbers(db, tmp_path) -> None:
    report = import_contacts(_write(tmp_path, (HEADER + ROWS).encode()))
    assert (report.rows, report.inserted, report.unchanged, report.errors) == (2, 2, 0, [])
    first, second = _records(db)
    assert first[0] == "C-001" and first[2:] == ("export.csv", 2)
    assert first[1]["first_name"] == "María" and first[1]["loyalty_tier"] == "gold"
    assert second[1]["phone"] == "+1 415 555 0123" and second[3] == 3


def test_bom_semicolons_and_messy_header_names(db, tmp_path) -> None:
    content = " External_ID ;First_Name;EMAIL\nC-9;Ana;ana@example.com\n".encode("utf-8-sig")
    report = import_contacts(_write(tmp_path, content))
    assert (report.inserted, report.errors) == (1, [])
    [(external_id, record, _, _)] = _records(db)
    assert external_id == "C-9"
    assert record == {"external_id": "C-9", "first_name": "Ana", "email": "ana@example.com"}


def test_reimporting_the_same_file_inserts_nothing(db, tmp_path) -> None:
    path = _write(tmp_path, (HEADER + ROWS).encode())
    import_contacts(path)
    again = import_contacts(path)
    assert (again.inserted, again.unchanged) == (0, 2)
    assert len(_records(db)) == 2


def test_a_changed_row_becomes_a_new_version(db, tmp_path) -> None:
    import_contacts(_write(tmp_path, (HEADER + ROWS).encode()))
    changed = ROWS.replace("maria@example.com", "maria.f@example.com")
    report = import_contacts(_write(tmp_path, (HEADER + changed).encode(), "export-2.csv"))
    assert (report.inserted, report.unchanged) == (1, 1)
    versions = [r[1]["email"] for r in _records(db) if r[0] == "C-001"]
    assert versions == ["maria@example.com", "maria.f@example.com"]


def test_bad_rows_are_reported_by_line_and_good_rows_still_land(db, tmp_path) -> None:
    content = (
        HEADER.encode()
        + b",Nadie,Sin Id,x@example.com,,PA,\n"  # line 2: no external_id
        + b"C-003,Too,Few\n"  # line 3: wrong field count
        + b"C-004,Jos\xe9,Latin1,j@example.com,,PA,\n"  # line 4: not UTF-8
        + b"\n"  # line 5: blank, skipped
        + b'C-005,"Multi\nLine",Name,m@example.com,,PA,\n'  # lines 6-7
        + b"C-006,Ok,Row,o@example.com,,PA,\n"  # line 8
        + b"C-007,Also,Ok,a@example.com,,PA,silver\n"  # line 9
    )
    report = import_contacts(_write(tmp_path, content))
    assert [(e.line_number, e.message) for e in report.errors] == [
        (2, "external_id is empty"),
        (3, "expected 7 fields, found 3"),
        (4, "the row has bytes that are not valid UTF-8"),
    ]
    assert (report.rows, report.inserted) == (6, 3)
    assert [(r[0], r[3]) for r in _records(db)] == [("C-005", 6), ("C-006", 8), ("C-007", 9)]


def test_a_file_without_external_id_column_imports_nothing(db, tmp_path) -> None:
    report = import_contacts(_write(tmp_path, b"id,name\n1,Ana\n"))
    assert [(e.line_number, e.message) for e in report.errors] == [
        (1, "the header has no external_id column")
    ]
    assert (report.rows, report.inserted) == (1, 0)
    assert _records(db) == []


def test_the_crm_command_reports_rejects_and_counts(db, tmp_path) -> None:
    path = _write(tmp_path, (HEADER + ROWS + "C-003,Too,Few\n").encode())
    result = CliRunner().invoke(app, ["import", "contacts", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 new, 0 unchanged, 1 rejected of 3 rows" in result.output
    assert f"{path}:4: expected 7 fields, found 3" in result.output


def test_a_row_with_a_nul_character_is_rejected_and_the_rest_land(db, tmp_path) -> None:
    path = _write(tmp_path, b"external_id,first_name\nA1,Ana\nA2,Be\x00to\nA3,Carla\n")
    report = import_contacts(path)
    assert [(e.line_number, "NUL" in e.message) for e in report.errors] == [(3, True)]
    assert report.inserted == 2
