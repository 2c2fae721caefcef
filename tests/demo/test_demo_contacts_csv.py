"""The contacts export looks like a Spanish Excel export and carries realistic mess."""

from __future__ import annotations

import csv
from collections import Counter

from crm.demo.contacts_csv import COLUMNS, write_contacts_csv


def _read(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_file_is_semicolon_separated_utf8_with_bom(small_world, tmp_path):
    export = write_contacts_csv(small_world, tmp_path / "contacts.csv")
    raw = export.path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = _read(export.path)
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == export.rows


def test_file_has_bad_rows_and_duplicated_people(small_world, tmp_path):
    export = write_contacts_csv(small_world, tmp_path / "contacts.csv")
    rows = _read(export.path)
    assert sum(not r["external_id"] for r in rows) == export.bad_rows == 2
    good = [r for r in rows if r["external_id"]]
    assert len({r["external_id"] for r in good}) == len(good)
    by_mail = Counter(r["email"].lower() for r in good if r["email"])
    assert export.duplicates >= 1 and max(by_mail.values()) >= 2
    twins = [r for r in good if r["external_id"].startswith("CRM-2")]
    assert twins and all(not r["phone"].startswith("+") for r in twins)


def test_import_lands_good_rows_and_reports_bad_lines(small_world, tmp_path, db):
    from ingestion.contacts import import_contacts

    export = write_contacts_csv(small_world, tmp_path / "contacts.csv")
    report = import_contacts(export.path)
    assert report.rows == export.rows
    assert len(report.errors) == 2 and report.inserted == export.rows - 2
    lines = export.path.read_text(encoding="utf-8-sig").splitlines()
    assert all(lines[e.line_number - 1].startswith(";") for e in report.errors)
    assert import_contacts(export.path).inserted == 0
