"""Lead score: the prior's rules, tiers, declining to train, promotion, and reasons.

Training goes through the real trainer into a real MLflow store in a temp folder
(`mlflow_store`), on synthetic point-in-time rows whose label depends on the features.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from lead_world import synthetic_rows

from crm.settings import Settings
from ml.lead_score.features import SPEC
from ml.lead_score.prior import prior_probability
from ml.lead_score.score import score_leads, tiers
from ml.tabular.training import ModelTask, train_and_register
from ml.tracking import load_champion

SETTINGS = Settings(lead_tier_hot_score=40, lead_tier_warm_score=15)


def leads(n: int, seed: int = 0, signal: bool = True) -> pd.DataFrame:
    """Lead rows whose conversion rises with inbound messages (see `synthetic_rows`)."""
    return synthetic_rows(SPEC.columns, "converted", n, seed, signal)


def task(min_positives: int = 20) -> ModelTask:
    return ModelTask(
        model_name="crm-lead-score",
        spec=SPEC,
        label="converted",
        gap_days=3,
        floors={"auc": 0.65, "brier": 0.25},
        min_positives=min_positives,
    )


def test_the_prior_ranks_a_recent_buyer_above_a_silent_lead():
    rows = SPEC.frame(leads(2))
    rows.loc[0, ["buying_intents", "inbound_last_7d", "days_since_last_inbound"]] = [2, 4, 0.5]
    rows.loc[1, ["buying_intents", "inbound_last_7d", "days_since_last_inbound"]] = [0, 0, 60]
    rows.loc[:, ["orders_before", "complaint_intents"]] = 0
    hot, silent = prior_probability(rows)
    assert hot == pytest.approx(0.02 + 0.20 + 4 * 0.03 + 0.10)
    assert silent == pytest.approx(0.02)


def test_tiers_follow_the_configured_thresholds():
    assert list(tiers(np.array([0, 14, 15, 39, 40, 100]), SETTINGS)) == [
        "cold",
        "cold",
        "warm",
        "warm",
        "hot",
        "hot",
    ]


def test_without_a_champion_scores_come_from_the_prior_with_its_reasons():
    rows = leads(5)
    rows["buying_intents"] = 1
    scored = score_leads(rows, None, SETTINGS)
    assert set(scored["score_source"]) == {"prior"}
    assert scored["model_version"].isna().all()
    assert all(r[0]["feature"] == "buying_intent_seen" for r in scored["reasons"])
    assert scored["score"].between(0, 100).all()


def test_too_few_outcomes_trains_nothing(mlflow_store):
    outcome = train_and_register(task(min_positives=10_000), leads(400), margin=0.005)
    assert not outcome.trained and "fewer than the 10000 required" in outcome.reason
    assert load_champion("crm-lead-score") is None


def test_a_model_with_signal_is_promoted_and_explains_its_scores(mlflow_store):
    outcome = train_and_register(task(), leads(3000), margin=0.005)
    assert outcome.promoted, outcome.reason
    assert outcome.metrics["auc"] > 0.75
    champion = load_champion("crm-lead-score")
    assert champion is not None and champion[1] == outcome.version
    scored = score_leads(leads(10, seed=5), champion, SETTINGS)
    assert set(scored["score_source"]) == {"model"}
    assert {len(r) for r in scored["reasons"]} == {3}
    assert {r["feature"] for rs in scored["reasons"] for r in rs} <= set(SPEC.columns)


def test_a_challenger_without_signal_does_not_replace_the_champion(mlflow_store):
    first = train_and_register(task(), leads(3000), margin=0.005)
    worse = train_and_register(task(), leads(3000, seed=1, signal=False), margin=0.005)
    assert first.promoted and worse.trained and not worse.promoted
    assert load_champion("crm-lead-score")[1] == first.version


def test_a_model_that_ranks_worse_than_the_rules_it_replaces_stays_a_challenger(mlflow_store):
    rows = leads(3000)

    def clairvoyant_rules(features: pd.DataFrame) -> np.ndarray:  # ranks by the outcome itself
        return rows.loc[features.index, "converted"].to_numpy() * 0.9 + 0.05

    beaten = train_and_register(replace(task(), baseline=clairvoyant_rules), rows, margin=0.0)
    assert beaten.trained and not beaten.promoted
    assert "misses its floor (at least 1.0)" in beaten.reason
