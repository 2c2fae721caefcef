"""Enrichment (flow 20): every clean identity enriched offline, for the lead marts.

`ml/enriched_identities` runs `ingestion.enrichment` over `ml/clean_identities` and each
identity's inbound messages; dbt reads it back through `int_identities_enriched` into
`marts.dim_lead_enrichment`. Optional providers are not called here: the pipeline stays
offline and deterministic; the API calls the configured ones on request.
"""

import dagster as dg

from crm.settings import get_settings
from ingestion.enrichment.identities import enrich_identities
from ingestion.enrichment.warehouse import read_identities
from ingestion.ml_tables import replace_table
from orchestration.defs.hygiene import clean_identities
from orchestration.defs.resources import CrmDatabase

MESSAGES = dg.AssetKey(["intermediate", "int_messages_unioned"])


@dg.asset(
    key=["ml", "enriched_identities"],
    group_name="enrichment",
    kinds={"python", "postgres"},
    deps=[clean_identities, MESSAGES],
)
def enriched_identities(database: CrmDatabase) -> dg.MaterializeResult:
    """Country, time zone, contact window, language and company of every clean identity."""
    engine = database.engine()
    frame = enrich_identities(read_identities(engine), get_settings().default_region)
    replace_table(engine, "enriched_identities", frame)
    detected = frame["language_basis"].eq("messages")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "with_time_zone": int(frame["time_zone"].notna().sum()),
            "language_from_messages": int(detected.sum()),
            "languages": dg.MetadataValue.json(
                {str(k): int(v) for k, v in frame["language"].value_counts().items()}
            ),
            "corporate_emails": int(frame["email_domain_type"].eq("corporate").sum()),
        }
    )
