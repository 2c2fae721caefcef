"""The new-raw-rows sensor's cursor pattern and the run-status sensors that feed `/health`."""

from __future__ import annotations

import json
from collections.abc import Callable

import dagster as dg
import sqlalchemy as sa

from crm.database import get_engine
from orchestration.defs.raw import raw_assets
from orchestration.defs.resources import CrmDatabase
from orchestration.defs.sensors import new_raw_rows_sensor, record_run_success


def _tick(instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult | dg.SkipReason:
    context = dg.build_sensor_context(
        cursor=cursor, instance=instance, resources={"database": CrmDatabase()}
    )
    return new_raw_rows_sensor(context)


def test_sensor_skips_when_no_rows_have_landed(db: str, instance: dg.DagsterInstance) -> None:
    assert isinstance(_tick(instance, None), dg.SkipReason)


def test_sensor_requests_a_keyed_run_when_rows_arrive(
    land_messages: Callable[[int], None], instance: dg.DagsterInstance
) -> None:
    land_messages(2)
    result = _tick(instance, None)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.run_requests or []
    assert request.run_key == "raw:channel_events=6,contacts=0,commerce_events=0,invoices=0"
    assert json.loads(result.cursor or "{}") == {
        "channel_events": 6,
        "contacts": 0,
        "commerce_events": 0,
        "invoices": 0,
    }


def test_sensor_skips_when_cursor_is_current_then_fires_on_new_rows(
    land_messages: Callable[[int], None], instance: dg.DagsterInstance
) -> None:
    land_messages(1)
    first = _tick(instance, None)
    assert isinstance(first, dg.SensorResult)
    assert isinstance(_tick(instance, first.cursor), dg.SkipReason)
    land_messages(1)
    again = _tick(instance, first.cursor)
    assert isinstance(again, dg.SensorResult)
    assert again.run_requests[0].run_key != first.run_requests[0].run_key


def test_run_success_sensor_records_the_run(db: str, instance: dg.DagsterInstance) -> None:
    result = dg.materialize(raw_assets, resources={"database": CrmDatabase()}, instance=instance)
    assert result.success
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    success_event = next(
        event for event in result.all_events if event.event_type_value == "PIPELINE_SUCCESS"
    )
    context = dg.build_run_status_sensor_context(
        sensor_name="record_run_success",
        dagster_event=success_event,
        dagster_instance=instance,
        dagster_run=run,
        resources={"database": CrmDatabase()},
    )
    record_run_success(context)
    with get_engine().connect() as connection:
        status, detail = connection.execute(
            sa.text("select status, detail from app.pipeline_runs where run_id = :id"),
            {"id": result.run_id},
        ).one()
    assert status == "success"
    assert detail["assets_by_layer"] == {"raw": 4}
