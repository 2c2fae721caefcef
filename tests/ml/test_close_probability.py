"""Close probability: trains only on enough closed deals, scores deals, keeps each lead's best."""

from __future__ import annotations

import pandas as pd
from lead_world import synthetic_rows

from crm.settings import Settings
from ml.close_probability.features import LABEL, SPEC
from ml.close_probability.score import best_per_lead, score_conversations
from ml.close_probability.train import task
from ml.tabular.training import train_and_register
from ml.tracking import load_champion


def deals(n: int, seed: int = 0) -> pd.DataFrame:
    rows = synthetic_rows(SPEC.columns, LABEL, n, seed)
    return rows.assign(conversation_id=[f"conversation-{i}" for i in range(n)])


def test_too_few_closed_deals_trains_nothing(mlflow_store):
    outcome = train_and_register(task(Settings()), deals(40).assign(closed=0), margin=0.0)
    assert not outcome.trained and outcome.positives == 0
    assert load_champion("crm-close-probability") is None


def test_scores_are_probabilities_with_reasons_and_a_lead_keeps_its_best(mlflow_store):
    outcome = train_and_register(task(Settings()), deals(2000), margin=0.0)
    assert outcome.promoted, outcome.reason
    assert outcome.metrics["brier"] < 0.2 and outcome.metrics["auc"] > 0.75
    open_now = deals(6, seed=3).assign(lead_id=["a", "a", "a", "b", "b", "c"])
    scored = score_conversations(open_now, load_champion("crm-close-probability"))
    assert scored["close_probability"].between(0, 1).all()
    assert all(len(reasons) == 3 for reasons in scored["reasons"])
    best = best_per_lead(scored)
    assert best["a"] == scored.loc[scored["lead_id"] == "a", "close_probability"].max()
    assert sorted(best.index) == ["a", "b", "c"]
