"""Clean one contact record (the contract's contact columns) with every hygiene rule.

This is the single-record door used by `POST /api/v1/data/clean`; the pipeline runs the
same per-field rules vectorised. The record's country (any language or code) picks the
phone region and the date order, falling back to the configured default region.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ingestion.contacts import COLUMNS as CONTACT_COLUMNS
from ingestion.hygiene.addresses import city_key, clean_postcode, clean_street, street_key
from ingestion.hygiene.countries import country_code
from ingestion.hygiene.dates import parse_dob
from ingestion.hygiene.emails import clean_email
from ingestion.hygiene.names import clean_name, proper_case
from ingestion.hygiene.phones import clean_phone
from ingestion.hygiene.text import as_text


@dataclass
class CleanedRecord:
    """The clean fields, the fixes applied ("field:what") and the problems found."""

    record: dict[str, Any]
    fixes: list[str] = field(default_factory=list)
    issues: list[dict[str, str]] = field(default_factory=list)


def _country(raw: Mapping[str, Any], default_region: str) -> tuple[str | None, str, list]:
    """(country_code, region for parsing, issues): unknown countries fall back, reported."""
    value = raw.get("country")
    code = country_code(value)
    issues = []
    if as_text(value) and code is None:
        issues.append({"field": "country", "problem": "unknown_country"})
    return code, code or default_region.upper(), issues


def _contact_fields(raw: Mapping[str, Any], region: str, out: CleanedRecord) -> None:
    """Phone and e-mail: values, keys and flags, plus their fixes and issues."""
    phone = clean_phone(raw.get("phone"), region)
    email = clean_email(raw.get("email"))
    out.record |= {
        "phone_e164": phone.e164,
        "phone_key": phone.phone_key,
        "phone_valid": phone.valid,
        "phone_line_type": phone.line_type,
        "phone_extension": phone.extension,
        "email": email.email if email.valid else None,
        "email_key": email.email_key,
        "email_valid": email.valid,
        "free_mail": email.free_mail,
    }
    out.fixes += phone.fixes + email.fixes
    for name, issue in (("phone", phone.issue), ("email", email.issue)):
        if issue and issue != "missing":
            out.issues.append({"field": name, "problem": issue})


def _person_fields(
    raw: Mapping[str, Any], country: str | None, out: CleanedRecord, today: date | None
) -> None:
    """Name, address, postcode and date of birth."""
    name = clean_name(raw.get("first_name"), raw.get("last_name"), raw.get("full_name"))
    postcode = clean_postcode(raw.get("postcode"), country)
    dob = parse_dob(raw.get("date_of_birth"), country, today)
    company = as_text(raw.get("company"))
    state = as_text(raw.get("state"))
    out.record |= {
        "display_name": name.display_name,
        "first_name": name.first_name,
        "last_name": name.last_name,
        "last_names": name.last_names,
        "name_key": name.name_key,
        "company": company,
        "street": clean_street(raw.get("street")),
        "street_key": street_key(raw.get("street")),
        "city": clean_street(raw.get("city")),
        "city_key": city_key(raw.get("city")),
        "postcode": postcode.postcode,
        "state": proper_case(state) if state else None,
        "date_of_birth": dob.date_of_birth if dob.issue is None else None,
    }
    out.fixes += name.fixes + postcode.fixes + dob.fixes
    if name.display_name is None:
        out.issues.append({"field": "name", "problem": "missing"})
    for key, issue in (("postcode", postcode.issue), ("date_of_birth", dob.issue)):
        if issue and issue != "missing":
            out.issues.append({"field": key, "problem": issue})


def clean_record(
    raw: Mapping[str, Any], default_region: str = "PA", today: date | None = None
) -> CleanedRecord:
    """Clean one contact: contract columns cleaned, other keys kept under `attributes`."""
    code, region, issues = _country(raw, default_region)
    out = CleanedRecord(record={"external_id": as_text(raw.get("external_id"))}, issues=issues)
    _contact_fields(raw, region, out)
    _person_fields(raw, code, out, today)
    out.record["country_code"] = code
    out.record["attributes"] = {k: v for k, v in raw.items() if k not in CONTACT_COLUMNS}
    if out.record["phone_e164"] is None and out.record["email"] is None:
        out.issues.append({"field": "record", "problem": "no_contact_point"})
    return out
