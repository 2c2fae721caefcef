"""Matching features of source identities, read off the hygiene output.

The matcher never cleans anything itself: it takes rows shaped like `ml.clean_identities`
(what `ingestion.hygiene.identities.clean_identities` produces: phone and e-mail keys with
national variants and provider quirks folded, names in matching form, street and city
keys, postcode, ISO date of birth, country) and only derives the forms it compares:
first name and first / second surname folded, and one id per record. The benchmark feeds
FEBRL and the generated CRM set through the same `clean_identities` and this module, so
its figures are those of the production path.
"""

from __future__ import annotations

import pandas as pd

from ingestion.hygiene.text import fold

FEATURES = (
    "record_id", "source", "source_id", "seen_at", "name_key", "first_key", "last_key",
    "last2_key", "phone_key", "phone_valid", "phone_e164", "email_key", "email",
    "street_key", "city_key", "postcode", "dob", "country", "channel_key",
)  # fmt: skip


def record_ids(source: pd.Series, source_id: pd.Series) -> pd.Series:
    """`source:source_id`, the text dbt hashes into a one-identity lead's id."""
    return source.astype(str) + ":" + source_id.astype(str)


def _folded(values: pd.Series) -> pd.Series:
    """The matching fold of each value, computed once per distinct value."""
    table = {value: fold(value) or None for value in pd.unique(values.dropna())}
    return values.map(table).astype(object).where(values.notna(), None)


def _surname(last_names: pd.Series, position: int) -> pd.Series:
    """The n-th surname unit (particles kept) of each record's list, or None."""
    return last_names.map(
        lambda units: units[position] if isinstance(units, list) and len(units) > position else None
    )


def _optional(clean: pd.DataFrame, column: str) -> pd.Series:
    """A column the caller may leave out (first-seen time, channel key): None when absent."""
    if column in clean:
        return clean[column].astype(object).where(clean[column].notna(), None)
    return pd.Series(None, index=clean.index, dtype=object)


def matching_features(clean: pd.DataFrame) -> pd.DataFrame:
    """One row of features (columns `FEATURES`) per clean identity, on a fresh index.

    `clean` has the `ml.clean_identities` columns, plus optionally `seen_at` (when the
    identity was first seen: the oldest record names a new lead) and `channel_key` (a
    channel's second id for the same person, e.g. WhatsApp's business-scoped user id).
    """
    clean = clean.reset_index(drop=True)
    dob = clean["date_of_birth"].map(lambda d: None if d is None or d != d else str(d)[:10])
    valid = clean["phone_valid"].astype("boolean").fillna(False).astype(bool)
    out = pd.DataFrame(
        {
            "record_id": record_ids(clean["source"], clean["source_id"]),
            "source": clean["source"].astype(str),
            "source_id": clean["source_id"].astype(str),
            "seen_at": pd.to_datetime(_optional(clean, "seen_at"), utc=True),
            "name_key": clean["name_match"],
            "first_key": _folded(clean["first_name"]),
            "last_key": _folded(_surname(clean["last_names"], 0)),
            "last2_key": _folded(_surname(clean["last_names"], 1)),
            "phone_key": clean["phone_key"],
            "phone_valid": valid,
            "phone_e164": clean["phone_e164"].where(valid, None),
            "email_key": clean["email_key"],
            "email": clean["email"],
            "street_key": clean["street_key"],
            "city_key": clean["city_key"],
            "postcode": clean["postcode"],
            "dob": dob,
            "country": clean["country_code"],
            "channel_key": _optional(clean, "channel_key"),
        }
    )
    return (
        out[list(FEATURES)]
        .astype(object)
        .astype({"phone_valid": bool})
        .assign(seen_at=out["seen_at"])
    )
