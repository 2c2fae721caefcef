"""`GET /alerts/check`: anomalies in yesterday's (or a given day's) metrics, raised once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Query
from psycopg.rows import dict_row
from pydantic import BaseModel, Field

from api.conversation_deps import ConnDep
from api.errors import ApiError
from crm.alerts.check import MetricsMissing, check_day
from crm.alerts.delivery import deliver_pending
from crm.settings import get_settings

router = APIRouter(prefix="/alerts", tags=["alerts"])
WEBHOOK_TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class AlertOut(BaseModel):
    alert_id: int
    metric: str
    dimension: str
    metric_day: date
    direction: str
    value: float
    expected_low: float
    expected_high: float
    robust_z: float | None
    message: str
    evidence: dict[str, Any] = Field(description="history used, median, MAD, thresholds")
    delivery_status: str
    delivery_attempts: int
    new: bool = Field(description="raised by this check (false: raised by an earlier one)")


class AlertCheckResponse(BaseModel):
    day: date
    series_checked: int
    new_alerts: int
    delivered: int
    alerts: list[AlertOut]


@router.get("/check", response_model=AlertCheckResponse)
def check(
    conn: ConnDep,
    day: Annotated[date | None, Query(description="UTC day to check; default yesterday")] = None,
) -> AlertCheckResponse:
    """Compare each daily metric with the same weekday of the last weeks (median and MAD),
    store new anomalies once, and send the undelivered ones to ALERT_WEBHOOK_URL."""
    day = day or datetime.now(UTC).date() - timedelta(days=1)
    try:
        result = check_day(conn, day)
    except MetricsMissing as exc:
        raise ApiError(
            503, "metrics_missing", "marts.fct_daily_metrics is not built: run the pipeline"
        ) from exc
    conn.commit()  # the alerts are stored even if the webhook is slow or down
    settings = get_settings()
    with httpx.Client(timeout=WEBHOOK_TIMEOUT) as http:
        delivered = deliver_pending(conn, settings.alert_webhook_url, settings.alert_secret(), http)
    rows = conn.cursor(row_factory=dict_row).execute(
        "select * from app.alerts where metric_day = %s order by alert_id", (day,)
    )
    return AlertCheckResponse(
        day=day,
        series_checked=result.series,
        new_alerts=len(result.new_alert_ids),
        delivered=delivered,
        alerts=[AlertOut(**row, new=row["alert_id"] in result.new_alert_ids) for row in rows],
    )
