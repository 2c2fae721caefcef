"""Scoring writes every lead to ml.lead_scores, and dim_leads shows the newest score.

The demo world is landed and built once for the module; a close-probability champion is
registered in a temp MLflow store from synthetic rows, so the run fills both the lead
score (the prior: no lead-score champion) and the close probability of open deals.
"""

from __future__ import annotations

import psycopg
from lead_world import built_world, rows, run_dbt, synthetic_rows

from crm.database import get_engine
from crm.settings import get_settings
from ml.close_probability.features import LABEL, SPEC
from ml.close_probability.train import task
from ml.scoring import recent_runs, score_all
from ml.tabular.training import train_and_register

FEATURES = "+ml_scoring__lead_features +ml_scoring__open_conversations +dim_leads"
CAUTIOUS = ("--indirect-selection", "cautious")


# the world landed, the marts (dim_leads too) and current features built, no scores
built = built_world(FEATURES, truncate=("ml.lead_scores",), people=60, seed=5)


def test_a_scoring_run_reaches_dim_leads(built, mlflow_store):
    url, tmp = built
    close = train_and_register(
        task(get_settings()), synthetic_rows(SPEC.columns, LABEL, 2000), margin=0.0
    )
    assert close.promoted, close.reason
    run = score_all(get_engine(), get_settings())
    leads = rows(url, "select count(distinct lead_id) from intermediate.int_leads_resolved")[0][0]
    assert run.leads == leads > 0 and run.score_source == "prior"
    assert run.close_model_version == close.version and run.open_conversations > 0
    build = run_dbt(url, tmp, "build", "--select", "int_lead_scores_latest dim_leads", *CAUTIOUS)
    assert build.returncode == 0, build.stdout[-3000:]
    shown = rows(
        url,
        """
        select count(*), count(d.lead_score), count(d.close_probability),
               count(*) filter (where d.lead_score = s.score and d.lead_tier = s.tier)
        from marts.dim_leads as d
        left join ml.lead_scores as s on s.lead_id = d.lead_id
        """,
    )[0]
    assert shown[0] == shown[1] == shown[3] == leads  # every lead shows its score
    assert 0 < shown[2] < leads  # only leads with an open conversation have one


def test_yesterdays_run_is_kept_todays_earlier_run_replaced_and_the_newest_shown(
    built, mlflow_store
):
    url, tmp = built
    with psycopg.connect(url, autocommit=True) as conn:  # make the first run yesterday's
        conn.execute(
            "update ml.lead_scores set score = 99, tier = 'hot', "
            "scored_at = scored_at - interval '1 day'"
        )
    morning = score_all(get_engine(), get_settings())
    evening = score_all(get_engine(), get_settings())
    kept = [r["score_run_id"] for r in recent_runs(get_engine(), limit=5)]
    assert kept[0] == evening.run_id and morning.run_id not in kept and len(kept) == 2
    build = run_dbt(url, tmp, "build", "--select", "int_lead_scores_latest dim_leads", *CAUTIOUS)
    assert build.returncode == 0, build.stdout[-3000:]
    stale = rows(url, "select count(*) from marts.dim_leads where lead_score = 99")[0][0]
    assert stale == 0
