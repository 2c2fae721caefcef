"""The alert check: read the daily series from `marts.fct_daily_metrics`, judge the day,
store what is new in `app.alerts` (once per metric, dimension and day), deliver.

The day checked is by default yesterday (UTC), the last complete day: today's counts are
still growing and would always look low.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import psycopg
from psycopg.types.json import Jsonb

from crm.alerts.detection import RULES, WEEKS, Anomaly, assess

SERIES_SQL = """
select metric, dimension, metric_day, value, volume from marts.fct_daily_metrics
where metric_day between %(first)s and %(day)s
  and extract(isodow from metric_day) = extract(isodow from %(day)s::date)
  and metric = any(%(metrics)s)
order by metric, dimension, metric_day
"""

INSERT_SQL = """
insert into app.alerts (metric, dimension, metric_day, direction, value, expected_low,
    expected_high, robust_z, message, evidence)
values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
on conflict (metric, dimension, metric_day) do nothing
returning alert_id
"""


class MetricsMissing(LookupError):
    """`marts.fct_daily_metrics` is not built yet (the pipeline has not run)."""


@dataclass
class CheckResult:
    day: date
    series: int = 0
    anomalies: list[Anomaly] = field(default_factory=list)
    new_alert_ids: list[int] = field(default_factory=list)


def same_weekday_series(conn: psycopg.Connection, day: date) -> dict[tuple[str, str], list]:
    """(metric, dimension) -> [(day, value, volume)] on `day`'s weekday, oldest first."""
    if conn.execute("select to_regclass('marts.fct_daily_metrics')").fetchone()[0] is None:
        raise MetricsMissing("marts.fct_daily_metrics")
    params = {"first": day - timedelta(weeks=WEEKS), "day": day, "metrics": list(RULES)}
    series: dict[tuple[str, str], list] = defaultdict(list)
    for metric, dimension, metric_day, value, volume in conn.execute(SERIES_SQL, params):
        series[(metric, dimension)].append((metric_day, value, volume))
    return series


def check_day(conn: psycopg.Connection, day: date) -> CheckResult:
    """Judge every series on `day`; store the anomalies not stored before."""
    result = CheckResult(day)
    for (metric, dimension), points in same_weekday_series(conn, day).items():
        if points[-1][0] != day:
            continue  # no value that day (a ratio with nothing to divide)
        result.series += 1
        history = [(d, v) for d, v, _ in points[:-1]]
        anomaly = assess(metric, dimension, day, points[-1][1], points[-1][2], history)
        if anomaly is None:
            continue
        result.anomalies.append(anomaly)
        row = conn.execute(
            INSERT_SQL,
            (
                anomaly.metric,
                anomaly.dimension,
                anomaly.day,
                anomaly.direction,
                anomaly.value,
                anomaly.expected_low,
                anomaly.expected_high,
                anomaly.robust_z,
                anomaly.message,
                Jsonb(anomaly.evidence),
            ),
        ).fetchone()
        if row:
            result.new_alert_ids.append(row[0])
    return result
