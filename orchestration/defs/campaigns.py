"""Nurturing and cart recovery on a clock: two jobs, each one op over `crm.campaigns`.

Ops, not assets: a run sends messages, so it must not ride along in `everything` (the
nightly full build, `crm pipeline`). Each run still records materialisations of the app
tables it writes (`app/campaign_enrollments`, `app/campaign_steps`, the keys the dbt
sources of the campaign marts hang on), so the lineage shows when they last changed.
"""

from collections.abc import Callable
from datetime import UTC, datetime

import dagster as dg
import psycopg

from crm.campaigns.carts import recover_carts
from crm.campaigns.nurturing import process_nurturing
from crm.campaigns.sequence_config import Sequence, load_sequences
from crm.campaigns.sequences import Report
from crm.database import database_url
from crm.settings import get_settings
from orchestration.defs.resources import CrmDatabase

APP_TABLES = (dg.AssetKey(["app", "campaign_enrollments"]), dg.AssetKey(["app", "campaign_steps"]))


def _run(
    context: dg.OpExecutionContext,
    database: CrmDatabase,
    flow: Callable[[psycopg.Connection, list[Sequence], datetime, bool], Report],
) -> Report:
    """Migrate, load the sequences, run the flow now, record what it did."""
    database.migrate()
    sequences = load_sequences(get_settings().campaign_sequences_dir)
    with psycopg.connect(database_url(), autocommit=True) as conn:
        report = flow(conn, sequences, datetime.now(UTC), False)
    metadata: dict[str, int] = {}
    for tally in report.tallies:
        metadata |= {
            f"{tally.sequence}.enrolled": tally.enrolled,
            f"{tally.sequence}.held_out": tally.held_out,
            f"{tally.sequence}.sent": tally.sent,
            f"{tally.sequence}.exited": sum(tally.exited.values()),
        }
    context.log.info("campaign run: %s", metadata or "no sequences")
    for key in APP_TABLES:
        context.log_event(dg.AssetMaterialization(asset_key=key, metadata=metadata))
    return report


@dg.op
def nurture_leads(context: dg.OpExecutionContext, database: CrmDatabase) -> int:
    """Enrol leads in the nurturing sequences, send due steps, exit on reply/order/opt-out."""
    report = _run(context, database, process_nurturing)
    return sum(tally.sent for tally in report.tallies)


@dg.op
def recover_abandoned_carts(context: dg.OpExecutionContext, database: CrmDatabase) -> int:
    """Enrol abandoned carts, send due reminders, stop at the cart's order."""
    report = _run(context, database, recover_carts)
    return sum(tally.sent for tally in report.tallies)


@dg.job(description="Nurturing sequences (flow 10): enrol, send what is due, exit.")
def nurturing() -> None:
    nurture_leads()


@dg.job(description="Cart recovery (flow 12): remind abandoned checkouts until they order.")
def cart_recovery() -> None:
    recover_abandoned_carts()
