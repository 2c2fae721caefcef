"""Identity resolution (flow 18) between hygiene and the dbt identity models.

`identity_resolution` resolves every identity in `ml.clean_identities` (the hygiene
asset's output) into leads through `ingestion.identity`, and writes `ml.identity_links`,
`ml.identity_pairs` and `ml.lead_id_history` together; dbt's `int_leads_resolved` reads
them as sources, so the graph runs staging → hygiene → identity → intermediate → marts.
The checks hold the two promises of the design: no lead id is lost, and no lead chains
two people through a third record.
"""

from collections.abc import Iterator

import dagster as dg
import pandas as pd
import sqlalchemy as sa

from ingestion.identity.clustering import chained_leads
from ingestion.identity.store import run_identity_resolution
from orchestration.defs.resources import CrmDatabase

LINKS = dg.AssetKey(["ml", "identity_links"])
PAIRS = dg.AssetKey(["ml", "identity_pairs"])
HISTORY = dg.AssetKey(["ml", "lead_id_history"])
UPSTREAM = [
    dg.AssetKey(["ml", "clean_identities"]),
    dg.AssetKey(["intermediate", "int_identities"]),
]


def _spec(key: dg.AssetKey, description: str) -> dg.AssetSpec:
    return dg.AssetSpec(
        key, deps=UPSTREAM, group_name="identity", kinds={"python", "postgres"},
        description=description,
    )  # fmt: skip


@dg.multi_asset(
    specs=[
        _spec(LINKS, "Each source identity's lead_id, with the rule, confidence and reasons."),
        _spec(PAIRS, "Scored candidate pairs from the review threshold up, with status."),
        _spec(HISTORY, "Retired lead ids, each pointing at the lead that absorbed it."),
    ],
    name="identity_resolution",
)
def identity_resolution(database: CrmDatabase) -> Iterator[dg.MaterializeResult]:
    """Resolve identities into leads: blocking, Fellegi-Sunter (EM), guarded clustering."""
    figures = run_identity_resolution(database.engine()).stats
    yield dg.MaterializeResult(
        asset_key=LINKS,
        metadata={
            "dagster/row_count": figures["records"],
            "pairs_compared": figures["pairs_compared"],
            "links": figures["links"],
            "clusters": figures["clusters"],
            "merged_records": figures["merged_records"],
            "new_leads": figures["new_leads"],
            "em_lambda": figures["em_lambda"],
            "em_weights": dg.MetadataValue.json(figures["em_weights"]),
        },
    )
    yield dg.MaterializeResult(
        asset_key=PAIRS,
        metadata={"review_queue": figures["review_queue"], "held_apart": figures["held_apart"]},
    )
    yield dg.MaterializeResult(asset_key=HISTORY, metadata={"merges": figures["merges"]})


def _scalar(engine: sa.Engine, query: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(query)).scalar_one())


@dg.asset_check(asset=HISTORY, description="Every retired lead id maps to a live lead id.")
def no_lead_id_lost(database: CrmDatabase) -> dg.AssetCheckResult:
    """A retired id pointing nowhere would break every reference to the merged lead."""
    dangling = _scalar(
        database.engine(),
        "select count(*) from ml.lead_id_history as h where not exists "
        "(select 1 from ml.identity_links as l where l.lead_id = h.surviving_lead_id)",
    )
    revived = _scalar(
        database.engine(),
        "select count(*) from ml.lead_id_history as h where exists "
        "(select 1 from ml.identity_links as l where l.lead_id = h.retired_lead_id)",
    )
    return dg.AssetCheckResult(
        passed=dangling == 0 and revived == 0,
        metadata={"dangling_retired_ids": dangling, "retired_ids_still_live": revived},
    )


@dg.asset_check(asset=LINKS, description="No lead holds two valid phones with unlike names.")
def no_chained_leads(database: CrmDatabase) -> dg.AssetCheckResult:
    """The chaining guard held: two people never merged through a third record."""
    with database.engine().connect() as connection:
        links = pd.read_sql(
            sa.text("select lead_id, phone_key, name_key, match_rule from ml.identity_links"),
            connection,
        )
    chained = chained_leads(links)
    return dg.AssetCheckResult(
        passed=not chained,
        metadata={"chained_leads": len(chained), "examples": ", ".join(chained[:5]) or "none"},
    )


identity_checks = [no_lead_id_lost, no_chained_leads]
