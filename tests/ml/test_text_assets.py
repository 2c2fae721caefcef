"""The Dagster training assets for intent and sentiment, and their floor checks."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.ml_text import intent_model, sentiment_model, text_model_checks


def _metadata(result: dg.ExecuteInProcessResult, node: str) -> dict:
    event = result.asset_materializations_for_node(node)[0]
    return {key: value.value for key, value in event.metadata.items()}


def test_assets_train_register_and_pass_their_floor_checks(db: str, mlflow_store: str) -> None:
    result = dg.materialize([intent_model, sentiment_model, *text_model_checks])
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert len(checks) == 2 and all(check.passed for check in checks)
    intent = _metadata(result, "ml__models__crm_intent")
    assert intent["promoted"] is True and intent["version"] == "1" and intent["macro_f1"] > 0.8


def test_asset_keeps_an_existing_champion_unless_told_to_retrain(
    db: str, mlflow_store: str
) -> None:
    dg.materialize([intent_model])
    kept = _metadata(dg.materialize([intent_model]), "ml__models__crm_intent")
    assert kept["trained"] is False and "champion v1 kept" in kept["reason"]
    config = {"ops": {"ml__models__crm_intent": {"config": {"always": True}}}}
    again = _metadata(dg.materialize([intent_model], run_config=config), "ml__models__crm_intent")
    assert again["trained"] is True and again["version"] == "2"
