"""What runs, and when: the `everything` job and a daily full build as a safety net.

Fresh data normally triggers a run through `new_raw_rows_sensor`; the nightly build
catches anything a missed sensor tick left behind and re-runs every dbt test.
"""

import dagster as dg

everything = dg.define_asset_job(
    name="everything",
    selection=dg.AssetSelection.all(),
    description="Every asset once, in dependency order: raw landing → dbt staging → marts.",
)

daily_full_build = dg.ScheduleDefinition(
    name="daily_full_build",
    job=everything,
    cron_schedule="0 3 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The whole pipeline at 03:00 UTC, whether or not new rows arrived.",
)
