"""Enrichment of a table of clean identities, as the pipeline's asset runs it."""

from datetime import UTC, datetime

import pandas as pd

from ingestion.enrichment.identities import ENRICHED_COLUMNS, enrich_identities

AT = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)


def test_each_identity_gets_phone_language_and_company_facts() -> None:
    frame = pd.DataFrame(
        [
            ("whatsapp", "50761234567", "+50761234567", None, "PA", None, "hola precio?", 3),
            ("import", "C-2", None, "ana@grupo-alfa.com.mx", "MX", None, None, 0),
            ("instagram", "IG-1", None, None, None, None, None, 0),
        ],
        columns=[
            "source", "source_id", "phone_e164", "email", "country_code", "company", "texts",
            "message_count",
        ],
    )  # fmt: skip
    out = enrich_identities(frame, default_region="PA", at=AT)
    assert tuple(out.columns) == ENRICHED_COLUMNS
    out = out.set_index("source_id")
    panama, mexico, unknown = out.loc["50761234567"], out.loc["C-2"], out.loc["IG-1"]
    assert (panama["time_zone"], panama["contact_window_utc"]) == ("America/Panama", "14:00-23:00")
    assert (panama["language"], panama["inbound_message_count"]) == ("es", 3)
    assert (mexico["company"], mexico["language_basis"]) == ("Grupo Alfa", "country")
    assert mexico["time_zone"] is None  # Mexico spans zones and there is no phone to decide
    # no country at all: the default region is only the language prior
    assert (unknown["country_code"], unknown["language"]) == (None, "es")
