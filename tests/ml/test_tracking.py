"""Training runs, registration and champion/challenger promotion against a real store."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier

from ml.tracking import ChampionCache, Promotion, load_champion, register, training_run

EXAMPLE = pd.DataFrame({"x": [1.0, 2.0]})


def _train_and_register(metrics: dict[str, float], **options) -> Promotion:
    """Fit a tiny model and register it as `crm-test` with the given holdout metrics."""
    model = DummyClassifier(strategy="prior").fit(pd.DataFrame({"x": [0.0, 1.0]}), [0, 1])
    kwargs = {"floors": {"auc": 0.6}, "primary_metric": "auc", "margin": 0.01} | options
    with training_run(
        "crm-test", params={"strategy": "prior"}, data_rows=2, data_window=(None, None)
    ):
        return register(
            model, model_name="crm-test", signature_input_example=EXAMPLE, metrics=metrics, **kwargs
        )


def test_training_run_records_the_data_and_versions(mlflow_store: str) -> None:
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 3, 1, tzinfo=UTC))
    with training_run("crm-test", params={"C": 2.0}, data_rows=123, data_window=window) as run:
        pass
    logged = mlflow.get_run(run.info.run_id).data
    assert logged.params["C"] == "2.0"
    assert logged.params["data_rows"] == "123"
    assert logged.params["data_window_start"].startswith("2026-01-01")
    assert logged.params["data_window_end"].startswith("2026-03-01")
    assert len(logged.tags["git_commit"]) == 40 or logged.tags["git_commit"] == "unknown"
    assert logged.tags["dbt_version"][0].isdigit()


def test_artifacts_live_beside_a_sqlite_store(mlflow_store: str) -> None:
    _train_and_register({"auc": 0.7})
    artifacts = Path(mlflow_store.removeprefix("sqlite:///")).parent / "artifacts"
    assert list(artifacts.rglob("MLmodel"))


def test_first_version_passing_floors_becomes_champion(mlflow_store: str) -> None:
    promotion = _train_and_register({"auc": 0.7})
    assert (promotion.version, promotion.promoted) == ("1", True)
    assert "no champion yet" in promotion.reason
    model, version = load_champion("crm-test")
    assert version == "1" and hasattr(model, "predict_proba")


def test_challenger_not_beating_the_champion_by_the_margin_stays_challenger(
    mlflow_store: str,
) -> None:
    _train_and_register({"auc": 0.80})
    promotion = _train_and_register({"auc": 0.805})
    assert not promotion.promoted
    assert "does not beat the champion" in promotion.reason
    client = mlflow.MlflowClient()
    assert str(client.get_model_version_by_alias("crm-test", "champion").version) == "1"
    assert str(client.get_model_version_by_alias("crm-test", "challenger").version) == "2"
    assert client.get_model_version("crm-test", "2").tags["promotion_reason"] == promotion.reason


def test_challenger_beating_the_champion_is_promoted(mlflow_store: str) -> None:
    _train_and_register({"auc": 0.80})
    promotion = _train_and_register({"auc": 0.85})
    assert promotion.promoted and "beats the champion" in promotion.reason
    assert load_champion("crm-test")[1] == "2"


def test_champion_is_rescored_on_the_same_holdout(mlflow_store: str) -> None:
    _train_and_register({"auc": 0.70})
    # the champion logged 0.70 on an older holdout, but scores 0.90 on this one
    promotion = _train_and_register({"auc": 0.85}, evaluate=lambda model: {"auc": 0.90})
    assert not promotion.promoted
    assert "0.9000" in promotion.reason


def test_version_below_a_floor_is_not_promoted_even_without_champion(mlflow_store: str) -> None:
    promotion = _train_and_register({"auc": 0.55})
    assert not promotion.promoted
    assert "auc=0.55 misses its floor" in promotion.reason
    assert load_champion("crm-test") is None


def test_lower_is_better_metrics_compare_the_other_way(mlflow_store: str) -> None:
    options = {"floors": {"brier": 0.25}, "primary_metric": "brier"}
    options["higher_is_better"] = {"brier": False}
    assert _train_and_register({"brier": 0.20}, **options).promoted
    assert not _train_and_register({"brier": 0.30}, **options).promoted  # above its ceiling
    assert _train_and_register({"brier": 0.15}, **options).promoted


def test_cache_reloads_when_the_alias_moves(mlflow_store: str) -> None:
    cache = ChampionCache("crm-test", check_every=0)
    assert cache.get() is None
    _train_and_register({"auc": 0.7})
    assert cache.refresh()[1] == "1"
    _train_and_register({"auc": 0.9})
    assert cache.refresh()[1] == "2"


def test_due_checks_never_make_a_caller_wait(mlflow_store: str) -> None:
    """A check runs on a background thread; callers get the model held meanwhile."""
    _train_and_register({"auc": 0.7})
    cache = ChampionCache("crm-test", check_every=0)
    assert cache.get()[1] == "1"  # the first call waits for the store
    _train_and_register({"auc": 0.9})
    with cache._lock:  # a check in progress
        assert cache.get()[1] == "1"
    deadline = time.monotonic() + 30
    while cache.get()[1] != "2" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache.peek()[1] == "2"


def test_register_needs_a_training_run(mlflow_store: str) -> None:
    with pytest.raises(RuntimeError, match="training_run"):
        register(
            DummyClassifier(),
            model_name="crm-test",
            signature_input_example=EXAMPLE,
            metrics={},
            floors={},
            primary_metric="auc",
            margin=0.0,
        )
