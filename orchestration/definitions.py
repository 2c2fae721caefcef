"""The Dagster code location: composes the definitions in `orchestration/defs/` and nothing else.

Load it with `dagster dev` (see `[tool.dagster]` in pyproject.toml); `crm pipeline` runs
its `everything` job in-process.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.dbt import crm_dbt_models
from orchestration.defs.raw import (
    channel_events,
    commerce_events,
    contacts,
    raw_checks,
    webhook_deliveries,
)
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import daily_full_build, everything
from orchestration.defs.sensors import sensors

defs = dg.Definitions(
    assets=[webhook_deliveries, channel_events, contacts, commerce_events, crm_dbt_models],
    asset_checks=raw_checks,
    jobs=[everything],
    schedules=[daily_full_build],
    sensors=sensors,
    resources=build_resources(),
)
