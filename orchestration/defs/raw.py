"""Raw landing assets: the tables ingestion writes, made visible at the root of the graph.

Rows arrive through the API and `crm import`, not through Dagster. Materialising one of
these applies the migrations (so dbt finds its sources) and records what has landed; the
keys are the ones the dbt translator maps the `raw` sources to.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import dagster as dg
import sqlalchemy as sa

from orchestration.defs.resources import CrmDatabase

STALE_AFTER = timedelta(hours=24)


class Landing(NamedTuple):
    """A landing table and the columns that say how far it has got."""

    table: str
    id_column: str
    time_column: str
    description: str


LANDINGS = {
    landing.table: landing
    for landing in (
        Landing(
            "webhook_deliveries",
            "delivery_id",
            "received_at",
            "Every accepted Meta webhook delivery, verbatim (written by the API).",
        ),
        Landing(
            "channel_events",
            "id",
            "received_at",
            "One row per event of a delivery: messages, statuses, reactions, comments.",
        ),
        Landing(
            "contacts",
            "id",
            "imported_at",
            "CRM contact exports landed by `crm import contacts`, one row per version.",
        ),
        Landing(
            "commerce_events",
            "id",
            "received_at",
            "Shopify-format commerce webhooks: checkouts, orders, refunds (written by the API).",
        ),
    )
}


def landing_stats(engine: sa.Engine, landing: Landing) -> dict[str, Any]:
    """Row count, newest id and newest landing time of one raw table."""
    query = sa.text(
        f"select count(*) as row_count, max({landing.id_column}) as newest_id, "
        f"max({landing.time_column}) as newest_at from raw.{landing.table}"
    )
    with engine.connect() as connection:
        return dict(connection.execute(query).mappings().one())


def _metadata(stats: dict[str, Any]) -> dict[str, Any]:
    """Materialisation metadata: row count (Dagster's standard key), newest id and time."""
    newest_at = stats["newest_at"]
    return {
        "dagster/row_count": int(stats["row_count"]),
        "newest_id": int(stats["newest_id"] or 0),
        "newest_at": dg.MetadataValue.timestamp(newest_at) if newest_at else "none yet",
    }


def _landing_asset(landing: Landing, deps: list[dg.AssetKey]) -> dg.AssetsDefinition:
    """A thin asset over one landing table."""

    @dg.asset(
        key=["raw", landing.table],
        group_name="raw",
        kinds={"postgres"},
        description=landing.description,
        deps=deps,
    )
    def _asset(database: CrmDatabase) -> dg.MaterializeResult:
        database.migrate()
        return dg.MaterializeResult(metadata=_metadata(landing_stats(database.engine(), landing)))

    return _asset


webhook_deliveries = _landing_asset(LANDINGS["webhook_deliveries"], deps=[])
channel_events = _landing_asset(
    LANDINGS["channel_events"], deps=[dg.AssetKey(["raw", "webhook_deliveries"])]
)
contacts = _landing_asset(LANDINGS["contacts"], deps=[])
commerce_events = _landing_asset(LANDINGS["commerce_events"], deps=[])

raw_assets = [webhook_deliveries, channel_events, contacts, commerce_events]


@dg.asset_check(asset=channel_events, description="Channel events have landed at all.")
def channel_events_not_empty(database: CrmDatabase) -> dg.AssetCheckResult:
    """An empty landing table means no webhook ever reached the API."""
    stats = landing_stats(database.engine(), LANDINGS["channel_events"])
    return dg.AssetCheckResult(
        passed=stats["row_count"] > 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"row_count": int(stats["row_count"])},
    )


@dg.asset_check(asset=channel_events, description="An event landed in the last 24 hours.")
def channel_events_fresh(database: CrmDatabase) -> dg.AssetCheckResult:
    """A landing table gone stale: webhooks stopped arriving (or the API is down)."""
    newest_at = landing_stats(database.engine(), LANDINGS["channel_events"])["newest_at"]
    age = datetime.now(UTC) - newest_at if newest_at else None
    return dg.AssetCheckResult(
        passed=age is not None and age <= STALE_AFTER,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "age_hours": round(age.total_seconds() / 3600, 2) if age else -1.0,
            "stale_after_hours": STALE_AFTER.total_seconds() / 3600,
        },
    )


raw_checks = [channel_events_not_empty, channel_events_fresh]
