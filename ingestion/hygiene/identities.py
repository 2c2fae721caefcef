"""Every source identity cleaned with the vectorised hygiene rules (the `ml.clean_identities` rows).

The input is one row per (source, source_id) as dbt's `int_identities` has it, with an
import's own contact columns beside it. Each field runs the same rule as
`POST /api/v1/data/clean`, vectorised; the region for national phone numbers is the
record's country (any language or code), else the configured default. A WhatsApp wa_id
is always international, so it is parsed with its '+', whatever the default region.
A channel username ("juan.perez_92") is a handle, not a name: it is shown when nothing
better exists but never becomes a matching form.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import phonenumbers as pn

from ingestion.hygiene.addresses import city_key, clean_postcode, clean_street, street_key
from ingestion.hygiene.countries import country_codes
from ingestion.hygiene.dates import parse_dobs
from ingestion.hygiene.emails import clean_emails
from ingestion.hygiene.names import clean_names, proper_case
from ingestion.hygiene.phones import clean_phones
from ingestion.hygiene.text import as_text

INPUT_COLUMNS = (
    "source", "source_id", "display_name", "username", "first_name", "last_name", "full_name",
    "phone_raw", "email_raw", "company", "street", "city", "postcode", "state", "country_raw",
    "date_of_birth",
)  # fmt: skip
CLEAN_COLUMNS = (
    "source", "source_id", "display_name", "name_match", "first_name", "last_name",
    "last_names", "phone_raw", "phone_e164", "phone_key", "phone_valid", "phone_line_type",
    "phone_region", "email_raw", "email", "email_key", "email_valid", "email_domain",
    "email_domain_type", "company", "street", "street_key", "city", "city_key", "postcode",
    "state", "country_code", "date_of_birth", "fixes", "issues",
)  # fmt: skip


def _per_value(values: pd.Series, rule: Callable[[Any], Any]) -> pd.Series:
    """Apply a scalar rule once per distinct non-missing value; missing stays None."""
    table = {value: rule(value) for value in pd.unique(values.dropna())}
    return values.map(table).astype(object).where(values.notna(), None)


def _region_of(e164: str) -> str | None:
    return pn.region_code_for_number(pn.parse(e164))


def _phone_text(frame: pd.DataFrame) -> pd.Series:
    """The phone to parse: a WhatsApp wa_id (digits, country code first) gets its '+'."""
    raw = frame["phone_raw"].astype("string").str.strip()
    is_wa_id = (frame["source"] == "whatsapp") & raw.str.fullmatch(r"[1-9]\d{6,14}").fillna(False)
    return raw.where(~is_wa_id, "+" + raw)


def _full_name(frame: pd.DataFrame) -> pd.Series:
    """An import's full name, else the display name unless it is only the username."""
    handle = frame["display_name"].eq(frame["username"]).fillna(False)
    return frame["full_name"].where(frame["full_name"].notna(), frame["display_name"].mask(handle))


def _postcodes(postcodes: pd.Series, countries: pd.Series) -> pd.DataFrame:
    """`clean_postcode` per distinct (postcode, country) pair."""
    pairs = list(zip(postcodes.astype(object), countries.astype(object), strict=True))
    cache = {pair: clean_postcode(*pair) for pair in dict.fromkeys(pairs)}
    return pd.DataFrame(
        [(cache[p].postcode, cache[p].fixes, cache[p].issue) for p in pairs],
        columns=["postcode", "fixes", "issue"],
        index=postcodes.index,
    )


def _real(problems: pd.Series) -> pd.Series:
    """A rule's issue, with "missing" dropped: an absent optional field is no problem."""
    return problems.where(problems.ne("missing"), None)


def _flag(mask: pd.Series, problem: str) -> pd.Series:
    return mask.map({True: problem, False: None})


def _issues(problems: dict[str, pd.Series]) -> list[list[dict[str, str]]]:
    """Per row, {"field", "problem"} for each field whose rule reported a problem."""
    columns = [[(name, p) for p in series] for name, series in problems.items()]
    return [[{"field": f, "problem": p} for f, p in row if p] for row in zip(*columns, strict=True)]


def _with_inputs(frame: pd.DataFrame) -> pd.DataFrame:
    """The input columns (absent ones as None), with a fresh index."""
    out = frame.reindex(columns=list(INPUT_COLUMNS)).reset_index(drop=True).astype(object)
    return out.where(out.notna(), None)


def _contact_columns(raw: pd.DataFrame, region: pd.Series) -> tuple[dict, dict]:
    """Phone and e-mail columns, and the fixes and issues of both."""
    phones = clean_phones(_phone_text(raw), region)
    emails = clean_emails(raw["email_raw"])
    valid_email = emails["email"].where(emails["valid"])
    columns = {
        "phone_raw": raw["phone_raw"],
        "phone_e164": phones["e164"],
        "phone_key": phones["phone_key"],
        "phone_valid": phones["valid"],
        "phone_line_type": phones["line_type"],
        "phone_region": _per_value(phones["e164"].where(phones["valid"]), _region_of),
        "email_raw": raw["email_raw"],
        "email": valid_email,
        "email_key": emails["email_key"],
        "email_valid": emails["valid"],
        "email_domain": valid_email.str.rsplit("@", n=1).str[-1].where(emails["valid"]),
        "email_domain_type": emails["free_mail"].map({True: "free", False: "corporate"}),
    }
    no_contact = phones["e164"].isna() & valid_email.isna()
    return columns, {
        "fixes": [phones["fixes"], emails["fixes"]],
        "phone": _real(phones["issue"]),
        "email": _real(emails["issue"]),
        "record": _flag(no_contact, "no_contact_point"),
    }


def _person_columns(raw: pd.DataFrame, country: pd.Series, today: date | None) -> tuple[dict, dict]:
    """Name, company, address and date-of-birth columns, and their fixes and issues."""
    names = clean_names(raw["first_name"], raw["last_name"], _full_name(raw))
    postcodes = _postcodes(raw["postcode"], country)
    dobs = parse_dobs(raw["date_of_birth"], country, today)
    columns = {
        "display_name": names["display_name"].where(names["display_name"].notna(), raw["username"]),
        "name_match": names["name_key"],
        "first_name": names["first_name"],
        "last_name": names["last_name"],
        "last_names": names["last_names"],
        "company": _per_value(raw["company"], as_text),
        "street": _per_value(raw["street"], clean_street),
        "street_key": _per_value(raw["street"], street_key),
        "city": _per_value(raw["city"], clean_street),
        "city_key": _per_value(raw["city"], city_key),
        "postcode": postcodes["postcode"],
        "state": _per_value(raw["state"], lambda value: proper_case(as_text(value) or "") or None),
        "date_of_birth": dobs["date_of_birth"].where(dobs["issue"].isna()),
    }
    return columns, {
        "fixes": [names["fixes"], postcodes["fixes"], dobs["fixes"]],
        "name": _flag(names["display_name"].isna(), "missing"),
        "postcode": _real(postcodes["issue"]),
        "date_of_birth": _real(dobs["issue"]),
    }


def clean_identities(
    frame: pd.DataFrame, default_region: str = "PA", today: date | None = None
) -> pd.DataFrame:
    """One clean row per input identity, columns `CLEAN_COLUMNS` (see the module doc)."""
    raw = _with_inputs(frame)
    country = country_codes(raw["country_raw"])
    contact, contact_found = _contact_columns(raw, country.fillna(default_region.upper()))
    person, person_found = _person_columns(raw, country, today)
    out = pd.DataFrame(
        {"source": raw["source"], "source_id": raw["source_id"], **contact, **person}
    )
    out["country_code"] = country.where(country.notna(), out["phone_region"])
    fixes = zip(*contact_found.pop("fixes"), *person_found.pop("fixes"), strict=True)
    out["fixes"] = [list(dict.fromkeys(fix for part in row for fix in part)) for row in fixes]
    unknown = _flag(raw["country_raw"].notna() & country.isna(), "unknown_country")
    out["issues"] = _issues({"country": unknown, **contact_found, **person_found})
    out = out[list(CLEAN_COLUMNS)].astype(object)
    return out.where(out.notna(), None).astype({"phone_valid": bool, "email_valid": bool})


@dataclass(frozen=True)
class QualityFigures:
    """Headline figures of a clean table, for the asset's metadata."""

    rows: int
    phones_given: int
    valid_phone_share: float
    emails_given: int
    valid_email_share: float
    fixes_by_kind: dict[str, int]


def quality_figures(clean: pd.DataFrame) -> QualityFigures:
    """Rows, valid shares, and fixes counted by kind.

    Shares are over the identities that gave a phone (an e-mail) at all, so channels that
    carry none (Instagram, Messenger) do not drag them down; a fix's kind is its text
    without the detail in brackets ("email:domain_typo_fixed").
    """
    has_phone, has_email = clean["phone_raw"].notna(), clean["email_raw"].notna()
    kinds = Counter(fix.split("(", 1)[0] for fixes in clean["fixes"] for fix in fixes)
    return QualityFigures(
        rows=len(clean),
        phones_given=int(has_phone.sum()),
        valid_phone_share=_share(clean["phone_valid"][has_phone]),
        emails_given=int(has_email.sum()),
        valid_email_share=_share(clean["email_valid"][has_email]),
        fixes_by_kind=dict(kinds.most_common()),
    )


def _share(flags: pd.Series) -> float:
    """Share of True among `flags`; 1.0 for none (nothing given, nothing wrong)."""
    return round(float(flags.mean()), 4) if len(flags) else 1.0
