"""A real Dagster materialisation of every asset against the test database (`crm pipeline`)."""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg
import pytest
import sqlalchemy as sa

from crm.database import get_engine
from orchestration.pipeline import run_pipeline


def _count(table: str) -> int:
    with get_engine().connect() as connection:
        return connection.execute(sa.text(f"select count(*) from {table}")).scalar_one()


def test_pipeline_builds_every_asset_into_the_marts(
    land_messages: Callable[[int], None],
    instance: dg.DagsterInstance,
    capsys: pytest.CaptureFixture[str],
) -> None:
    land_messages(3)

    assert run_pipeline() is True

    assert _count("marts.fct_messages") == 9
    assert _count("marts.dim_leads") == 9
    assert _count("marts.fct_conversations") == 9
    assert _count("marts.map_identity") >= 9
    out = capsys.readouterr().out
    assert "built   marts/fct_messages" in out
    assert "pipeline: success" in out


def test_pipeline_records_its_run_for_health(
    land_messages: Callable[[int], None], instance: dg.DagsterInstance
) -> None:
    land_messages(1)
    assert run_pipeline() is True
    with get_engine().connect() as connection:
        row = connection.execute(
            sa.text("select run_id, status, started_at, finished_at, detail from app.pipeline_runs")
        ).one()
    assert row.status == "success"
    assert row.started_at <= row.finished_at
    assert row.detail["failed_steps"] == []
    assert (
        row.detail["assets_by_layer"]["raw"] == 5
    )  # deliveries, channel and commerce events, contacts, invoices
    assert row.detail["assets_by_layer"]["marts"] >= 4
    run = instance.get_run_by_id(row.run_id)
    assert run is not None and run.is_success
