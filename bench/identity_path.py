"""The production path from contact rows to a resolution, for the benchmark.

Contact rows (the CSV contract's columns) are renamed to the hygiene input, cleaned by
`ingestion.hygiene.identities.clean_identities` (what the hygiene asset writes to
`ml.clean_identities`), turned into matching features and resolved: the asset does the
same with the table in between.
"""

from __future__ import annotations

import pandas as pd

from ingestion.hygiene.identities import clean_identities
from ingestion.identity.records import matching_features
from ingestion.identity.resolve import Resolution, resolve

RENAMES = {"phone": "phone_raw", "email": "email_raw", "country": "country_raw"}


def features(contacts: pd.DataFrame, default_region: str = "PA") -> pd.DataFrame:
    """Matching features of contact rows, through the hygiene rules."""
    hygiene_input = contacts.rename(columns=RENAMES)
    if "full_name" in hygiene_input:
        hygiene_input["display_name"] = hygiene_input["full_name"]
    clean = clean_identities(hygiene_input, default_region=default_region)
    for column in ("seen_at", "channel_key"):
        if column in contacts:
            clean[column] = contacts[column].to_numpy()
    return matching_features(clean)


def resolve_contacts(contacts: pd.DataFrame) -> tuple[pd.DataFrame, Resolution]:
    """(features, resolution) of contact rows, as production would resolve them."""
    records = features(contacts)
    return records, resolve(records)
