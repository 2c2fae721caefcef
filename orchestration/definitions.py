"""The Dagster code location: composes the definitions in `orchestration/defs/` and nothing else.

Load it with `dagster dev` (see `[tool.dagster]` in pyproject.toml); `crm pipeline` runs
its `everything` job in-process.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.alerts import alert_check
from orchestration.defs.campaigns import cart_recovery, nurturing
from orchestration.defs.content import content_publishing
from orchestration.defs.dbt import crm_dbt_models
from orchestration.defs.enrichment import enriched_identities
from orchestration.defs.hygiene import clean_identities, quality_checks
from orchestration.defs.identity import identity_checks, identity_resolution
from orchestration.defs.lead_score_checks import lead_score_checks
from orchestration.defs.lead_scores import (
    close_probability_model,
    lead_score_model,
    lead_scores,
)
from orchestration.defs.ml_text import (
    intent_model,
    sentiment_model,
    text_model_checks,
)
from orchestration.defs.payments import invoices, payment_reminders
from orchestration.defs.raw import (
    channel_events,
    commerce_events,
    contacts,
    raw_checks,
    webhook_deliveries,
)
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import (
    content_publishing_schedule,
    daily_alert_check,
    daily_full_build,
    daily_payment_reminders,
    everything,
    hourly_cart_recovery,
    hourly_nurturing,
    ml_training,
    text_model_training,
    weekly_ml_training,
    weekly_text_model_training,
)
from orchestration.defs.sensors import sensors

defs = dg.Definitions(
    assets=[
        webhook_deliveries,
        channel_events,
        contacts,
        commerce_events,
        invoices,
        crm_dbt_models,
        clean_identities,
        identity_resolution,
        enriched_identities,
        lead_score_model,
        close_probability_model,
        lead_scores,
        intent_model,
        sentiment_model,
    ],
    asset_checks=[
        *raw_checks,
        *quality_checks,
        *identity_checks,
        *lead_score_checks,
        *text_model_checks,
    ],
    jobs=[
        everything,
        ml_training,
        text_model_training,
        content_publishing,
        alert_check,
        payment_reminders,
        nurturing,
        cart_recovery,
    ],
    schedules=[
        daily_full_build,
        weekly_ml_training,
        weekly_text_model_training,
        content_publishing_schedule,
        daily_alert_check,
        daily_payment_reminders,
        hourly_nurturing,
        hourly_cart_recovery,
    ],
    sensors=sensors,
    resources=build_resources(),
)
