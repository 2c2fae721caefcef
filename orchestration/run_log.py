"""Pipeline runs as the API's `/health` reports them: one row per run in `app.pipeline_runs`.

Written by `crm pipeline` (in-process runs) and by the run-status sensors (runs launched
from the Dagster UI, the sensor or the schedule). The write is an upsert on `run_id`, so
both may record the same run without a duplicate.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import sqlalchemy as sa

UPSERT = sa.text(
    """
    insert into app.pipeline_runs (run_id, status, started_at, finished_at, detail)
    values (:run_id, :status, :started_at, :finished_at, cast(:detail as jsonb))
    on conflict (run_id) do update set
        status = excluded.status,
        started_at = coalesce(app.pipeline_runs.started_at, excluded.started_at),
        finished_at = excluded.finished_at,
        detail = coalesce(app.pipeline_runs.detail, '{}'::jsonb) || excluded.detail
    """
)


def record_run(
    engine: sa.Engine,
    run_id: str,
    status: str,
    *,
    started_at: datetime | None = None,
    finished_at: datetime | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Insert or update one run's row (status: started, success or failure)."""
    with engine.begin() as connection:
        connection.execute(
            UPSERT,
            {
                "run_id": run_id,
                "status": status,
                "started_at": started_at,
                "finished_at": finished_at,
                "detail": json.dumps(detail or {}, default=str),
            },
        )


def run_detail(instance: dg.DagsterInstance, run_id: str) -> dict[str, Any]:
    """What a run did, from its event log: assets per layer, checks, failed steps."""
    kinds = {
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        dg.DagsterEventType.STEP_FAILURE,
    }
    layers: Counter[str] = Counter()
    checks: Counter[str] = Counter()
    failed_steps: list[str] = []
    for entry in instance.all_logs(run_id, of_type=kinds):
        event = entry.dagster_event
        if event is None:
            continue
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION and event.asset_key:
            path = event.asset_key.path
            layers[path[0] if len(path) > 1 else "other"] += 1
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            passed = event.asset_check_evaluation_data.passed
            checks["passed" if passed else "failed"] += 1
        elif event.step_key:
            failed_steps.append(event.step_key)
    return {
        "assets_materialized": sum(layers.values()),
        "assets_by_layer": dict(layers),
        "checks_passed": checks["passed"],
        "checks_failed": checks["failed"],
        "failed_steps": failed_steps,
    }


def record_finished_run(
    engine: sa.Engine, instance: dg.DagsterInstance, run: dg.DagsterRun, status: str
) -> None:
    """Record a finished run with its times from the instance and its detail."""
    record = instance.get_run_record_by_id(run.run_id)
    start = record.start_time if record else None
    end = record.end_time if record else None
    record_run(
        engine,
        run.run_id,
        status,
        started_at=datetime.fromtimestamp(start, UTC) if start else None,
        finished_at=datetime.fromtimestamp(end, UTC) if end else datetime.now(UTC),
        detail={"job": run.job_name, **run_detail(instance, run.run_id)},
    )
