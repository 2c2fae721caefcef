"""The lead-score assets sit in the Dagster graph without a cycle, in the jobs that run them."""

from __future__ import annotations

import dagster as dg

from orchestration.definitions import defs

SCORES = dg.AssetKey(["ml", "lead_scores"])
MODELS = [
    dg.AssetKey(["ml", "models", "crm_lead_score"]),
    dg.AssetKey(["ml", "models", "crm_close_probability"]),
]
DIM_LEADS = dg.AssetKey(["marts", "dim_leads"])
FEATURES = dg.AssetKey(["ml_training", "ml_scoring__lead_features"])


def test_scores_read_dbt_features_and_feed_dim_leads():
    graph = defs.resolve_asset_graph()
    assert {*MODELS, FEATURES} <= graph.get(SCORES).parent_keys
    upstream_of_dim_leads = graph.get_ancestor_asset_keys(DIM_LEADS)
    assert SCORES in upstream_of_dim_leads
    assert DIM_LEADS not in graph.get_ancestor_asset_keys(SCORES)


def test_everything_and_the_weekly_training_job_include_the_models_and_scores():
    for name in ("everything", "ml_training"):
        job = defs.resolve_job_def(name)
        assert {*MODELS, SCORES} <= job.asset_layer.executable_asset_keys
    schedule = defs.resolve_schedule_def("weekly_ml_training")
    assert schedule.job_name == "ml_training" and schedule.cron_schedule == "0 4 * * 1"
