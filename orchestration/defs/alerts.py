"""Metric alerts in Dagster: a job that checks yesterday's daily metrics and delivers.

A thin wrapper over `crm.alerts.check.check_day` and `crm.alerts.delivery.deliver_pending`;
the `daily_alert_check` schedule runs it after the nightly build has refreshed
`marts.fct_daily_metrics`. Running it twice raises nothing twice (one alert per metric,
dimension and day) and retries deliveries that failed.
"""

from datetime import UTC, datetime, timedelta

import dagster as dg
import httpx
import psycopg

from crm.alerts.check import check_day
from crm.alerts.delivery import deliver_pending
from crm.database import database_url
from crm.settings import get_settings
from orchestration.defs.resources import CrmDatabase

WEBHOOK_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@dg.op(description="Flag anomalies in yesterday's daily metrics and send them to the webhook.")
def check_metric_alerts(context: dg.OpExecutionContext, database: CrmDatabase) -> int:
    """Check the last complete UTC day; store new alerts; deliver what is pending."""
    database.migrate()
    settings = get_settings()
    day = datetime.now(UTC).date() - timedelta(days=1)
    with (
        psycopg.connect(database_url(), autocommit=True) as conn,
        httpx.Client(timeout=WEBHOOK_TIMEOUT) as http,
    ):
        result = check_day(conn, day)
        delivered = deliver_pending(conn, settings.alert_webhook_url, settings.alert_secret(), http)
    context.add_output_metadata(
        {
            "day": day.isoformat(),
            "series_checked": result.series,
            "anomalies": len(result.anomalies),
            "new_alerts": len(result.new_alert_ids),
            "delivered": delivered,
        }
    )
    return len(result.new_alert_ids)


@dg.job(description="Check yesterday's daily metrics for anomalies; alert the webhook.")
def alert_check() -> None:
    check_metric_alerts()
