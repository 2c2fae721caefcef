"""Sensors: rebuild when new raw rows land, and record every run for `/health`.

`new_raw_rows_sensor` follows the cursor pattern: the cursor holds the newest ids of
`raw.channel_events` and `raw.contacts` it has answered; newer ids request one run of
`everything`, keyed by those ids so a tick can never launch the same run twice.
"""

import json
from datetime import UTC, datetime

import dagster as dg
import sqlalchemy as sa

from orchestration.defs.resources import CrmDatabase
from orchestration.defs.schedules import everything
from orchestration.run_log import record_finished_run, record_run

WATCHED = {"channel_events": "id", "contacts": "id", "commerce_events": "id", "invoices": "id"}


def newest_raw_ids(engine: sa.Engine) -> dict[str, int] | None:
    """The newest id of each watched raw table (0 when empty); None before migrations."""
    selects = ", ".join(
        f"(select coalesce(max({column}), 0) from raw.{table}) as {table}"
        for table, column in WATCHED.items()
    )
    try:
        with engine.connect() as connection:
            row = connection.execute(sa.text(f"select {selects}")).mappings().one()
    except sa.exc.ProgrammingError:  # raw tables not created yet
        return None
    return {table: int(row[table]) for table in WATCHED}


@dg.sensor(
    job=everything,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Runs `everything` when new rows land in raw.channel_events or raw.contacts.",
)
def new_raw_rows_sensor(
    context: dg.SensorEvaluationContext, database: CrmDatabase
) -> dg.SensorResult | dg.SkipReason:
    """Compare the cursor with the newest raw ids; request a run when any moved on."""
    current = newest_raw_ids(database.engine())
    if current is None:
        return dg.SkipReason("raw tables do not exist yet (no migrations applied)")
    seen = json.loads(context.cursor) if context.cursor else {}
    if all(current[table] <= seen.get(table, 0) for table in WATCHED):
        return dg.SkipReason(f"no new raw rows since {seen or 'the start'}")
    run_key = "raw:" + ",".join(f"{table}={current[table]}" for table in WATCHED)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, tags={"crm/trigger": "new_raw_rows"})],
        cursor=json.dumps(current, sort_keys=True),
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.STARTED,
    name="record_run_started",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each run of this code location in app.pipeline_runs as started.",
)
def record_run_started(context: dg.RunStatusSensorContext, database: CrmDatabase) -> None:
    """A run began: `/health` shows it in progress."""
    record_run(
        database.engine(),
        context.dagster_run.run_id,
        "started",
        started_at=datetime.now(UTC),
        detail={"job": context.dagster_run.job_name},
    )


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="record_run_success",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each successful run in app.pipeline_runs with its asset counts.",
)
def record_run_success(context: dg.RunStatusSensorContext, database: CrmDatabase) -> None:
    """A run succeeded: record its times and what it materialised."""
    record_finished_run(database.engine(), context.instance, context.dagster_run, "success")


@dg.run_failure_sensor(
    name="record_run_failure",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Records each failed run in app.pipeline_runs with its failed steps.",
)
def record_run_failure(context: dg.RunFailureSensorContext, database: CrmDatabase) -> None:
    """A run failed: record its times and which steps failed."""
    record_finished_run(database.engine(), context.instance, context.dagster_run, "failure")


sensors = [new_raw_rows_sensor, record_run_started, record_run_success, record_run_failure]
