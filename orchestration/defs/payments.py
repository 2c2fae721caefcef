"""Invoices and payment reminders in Dagster: the `raw/invoices` landing asset, and the
`payment_reminders` job that the daily schedule runs (flow 13).

Reminders are an action, not a table to rebuild, so they are a job of one op rather than
an asset: `everything` (and `crm pipeline`) never sends a message as a side effect.
"""

from collections import Counter
from datetime import UTC, datetime

import dagster as dg
import psycopg

from crm.campaigns.reminders import ReminderConfig, remind_payments
from crm.database import database_url
from crm.settings import get_settings
from orchestration.defs.raw import Landing, _landing_asset
from orchestration.defs.resources import CrmDatabase

invoices = _landing_asset(
    Landing(
        "invoices",
        "id",
        "loaded_at",
        "Invoice exports landed by `crm import invoices`, one row per version of an invoice.",
    ),
    deps=[],
)


@dg.op(description="Queue the payment reminder steps due today (flow 13), each once.")
def send_payment_reminders(
    context: dg.OpExecutionContext, database: CrmDatabase
) -> dg.Output[dict[str, int]]:
    """`crm.campaigns.reminders.remind_payments` now; counts by reason as metadata."""
    database.migrate()
    config = ReminderConfig.from_settings(get_settings())
    with psycopg.connect(database_url()) as conn:
        actions = remind_payments(conn, config, datetime.now(UTC))
    reasons = dict(Counter(action.reason for action in actions))
    context.log.info(f"payment reminders: {reasons or 'no invoice in range'}")
    return dg.Output(reasons, metadata={"invoices": len(actions), **reasons})


@dg.job(description="Payment reminders: before, on and after each due date, stopped when paid.")
def payment_reminders() -> None:
    send_payment_reminders()
