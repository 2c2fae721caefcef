"""Enrichment of every clean identity: the rows of `ml.enriched_identities`.

Runs `profile.enrich` per identity; its per-number and per-country lookups are cached,
so a table of repeated numbers and countries costs little beyond language detection,
which runs only for identities that wrote to us.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from ingestion.enrichment.profile import enrich

ENRICHED_COLUMNS = (
    "source", "source_id", "country_code", "phone_region_name", "time_zone", "utc_offset",
    "contact_window_utc", "phone_line_type", "phone_carrier", "language", "language_confidence",
    "language_basis", "inbound_message_count", "email_domain", "email_domain_type", "company",
)  # fmt: skip


def enrich_identities(
    frame: pd.DataFrame, default_region: str = "PA", at: datetime | None = None
) -> pd.DataFrame:
    """One row per identity of `frame` (columns as `warehouse.read_identities` gives them)."""
    rows = []
    for row in frame.itertuples(index=False):
        result = vars(  # shallow: the contact hours are left out of the table anyway
            enrich(
                phone_e164=row.phone_e164,
                email=row.email,
                country_code=row.country_code,
                company=row.company,
                texts=[row.texts],
                message_count=int(row.message_count),
                default_region=default_region,
                at=at,
            )
        )
        rows.append({"source": row.source, "source_id": row.source_id, **result})
    out = pd.DataFrame(rows, columns=list(ENRICHED_COLUMNS))
    return out.astype(object).where(out.notna(), None)
