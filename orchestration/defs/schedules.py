"""What runs, and when: the `everything` job, a daily full build, the weekly model retraining.

Fresh data normally triggers a run through `new_raw_rows_sensor`; the nightly build
catches anything a missed sensor tick left behind and re-runs every dbt test. The model
assets train on their own only while no version exists; the two retraining jobs set
`always` on them, weekly or when launched from the UI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import dagster as dg

from orchestration.defs.alerts import alert_check
from orchestration.defs.campaigns import cart_recovery, nurturing
from orchestration.defs.content import content_publishing
from orchestration.defs.lead_scores import close_probability_model, lead_score_model
from orchestration.defs.ml_text import intent_model, sentiment_model
from orchestration.defs.payments import payment_reminders

if TYPE_CHECKING:  # what `define_asset_job` returns; dagster does not export the name
    from dagster._core.definitions.unresolved_asset_job_definition import (
        UnresolvedAssetJobDefinition,
    )


def _retraining_job(
    name: str, models: list[dg.AssetsDefinition], description: str, *, downstream: bool = False
) -> UnresolvedAssetJobDefinition:
    """A job that retrains `models` even when a version exists (and, if asked, what follows)."""
    selection = dg.AssetSelection.assets(*models)
    retrain = {"config": {"always": True}}
    return dg.define_asset_job(
        name=name,
        selection=selection.downstream() if downstream else selection,
        config={"ops": {model.op.name: retrain for model in models}},
        description=description,
    )


def _utc_schedule(
    name: str,
    job: UnresolvedAssetJobDefinition | dg.JobDefinition,
    cron: str,
    description: str,
) -> dg.ScheduleDefinition:
    """A schedule on UTC time, running from the moment the code location loads."""
    return dg.ScheduleDefinition(
        name=name,
        job=job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
        description=description,
    )


everything = dg.define_asset_job(
    name="everything",
    selection=dg.AssetSelection.all(),
    description="Every asset once, in dependency order: raw landing → dbt staging → marts.",
)

ml_training = _retraining_job(
    "ml_training",
    [lead_score_model, close_probability_model],
    "Retrain lead score and close probability, rescore, rebuild dim_leads.",
    downstream=True,
)

text_model_training = _retraining_job(
    "text_model_training",
    [intent_model, sentiment_model],
    "Retrain intent and sentiment; promote each if it beats its champion.",
)

daily_full_build = _utc_schedule(
    "daily_full_build",
    everything,
    "0 3 * * *",
    "The whole pipeline at 03:00 UTC, whether or not new rows arrived.",
)

weekly_ml_training = _utc_schedule(
    "weekly_ml_training",
    ml_training,
    "0 4 * * 1",
    "Mondays 04:00 UTC, after the nightly build: retrain, promote if better, rescore.",
)

weekly_text_model_training = _utc_schedule(
    "weekly_text_model_training",
    text_model_training,
    "0 5 * * 1",
    "Mondays 05:00 UTC: retrain intent and sentiment, promote each if it is better.",
)

content_publishing_schedule = _utc_schedule(  # issue 6: flows 14-16
    "content_publishing",
    content_publishing,
    "*/15 * * * *",
    "Every 15 minutes: publish the scheduled social posts now due.",
)

daily_alert_check = _utc_schedule(  # issue 6: flow 22
    "daily_alert_check",
    alert_check,
    "0 6 * * *",
    "06:00 UTC, after the nightly build: anomalies in yesterday's metrics to the webhook.",
)

daily_payment_reminders = _utc_schedule(
    "daily_payment_reminders",
    payment_reminders,
    "0 14 * * *",
    "Every day at 14:00 UTC (09:00 in Panama): the payment reminder steps due today.",
)

# issue 6: the campaign flows, hourly (their jobs are ops: they send, so not in `everything`)
hourly_nurturing = _utc_schedule(
    "hourly_nurturing", nurturing, "15 * * * *", "Every hour at :15: nurturing steps now due."
)

hourly_cart_recovery = _utc_schedule(
    "hourly_cart_recovery",
    cart_recovery,
    "45 * * * *",
    "Every hour at :45: abandoned-cart reminders now due.",
)
