"""The hourly campaign jobs, run in-process by Dagster against the test database."""

from __future__ import annotations

import dagster as dg
from campaign_world import NOW, hours

from crm.campaigns.sequences import in_holdout
from orchestration.defs.campaigns import cart_recovery, nurturing
from orchestration.defs.resources import CrmDatabase


def test_the_nurturing_job_sends_the_due_steps_and_records_the_app_tables(
    conn, lead, outbox
) -> None:
    leads = [f"cold-{n}" for n in range(6)]
    for lead_id in leads:
        lead(lead_id, tier="cold", last_inbound_at=NOW - hours(24 * 30))
    result = nurturing.execute_in_process(resources={"database": CrmDatabase()})
    assert result.success
    treated = [x for x in leads if not in_holdout(x, "cold_reengagement", 0.2)]
    assert sorted(row[3] for row in outbox()) == [f"cold_reengagement:{x}:1" for x in treated]
    assert result.output_for_node("nurture_leads") == len(treated)
    keys = {m.asset_key for m in result.asset_materializations_for_node("nurture_leads")}
    assert keys == {
        dg.AssetKey(["app", "campaign_enrollments"]),
        dg.AssetKey(["app", "campaign_steps"]),
    }
    again = nurturing.execute_in_process(resources={"database": CrmDatabase()})
    assert again.output_for_node("nurture_leads") == 0


def test_the_cart_recovery_job_runs_with_no_carts_yet(conn, outbox) -> None:
    result = cart_recovery.execute_in_process(resources={"database": CrmDatabase()})
    assert result.success
    assert result.output_for_node("recover_abandoned_carts") == 0


def test_both_jobs_are_scheduled_hourly_in_the_code_location() -> None:
    from orchestration.definitions import defs

    crons = {
        name: defs.resolve_schedule_def(name).cron_schedule
        for name in ("hourly_nurturing", "hourly_cart_recovery")
    }
    assert crons == {"hourly_nurturing": "15 * * * *", "hourly_cart_recovery": "45 * * * *"}
    assert defs.resolve_job_def("nurturing").name == "nurturing"
