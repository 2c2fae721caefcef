"""Train → evaluate on the time holdout → log to MLflow → register (maybe promote) one model.

The steps every tabular model of the project shares; a model module only says what it
reads (`ModelTask`). It declines to train, and says why, when the data cannot support an
honest model: too few positives, or a holdout with a single class (no AUC to compare).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import sqlalchemy as sa

from ml.tabular.data import read_table
from ml.tabular.evaluate import (
    HIGHER_IS_BETTER,
    Split,
    calibration_plot,
    importance_plot,
    metrics,
    time_holdout,
)
from ml.tabular.pipeline import FeatureSpec, build_pipeline, importance
from ml.tracking import register, training_run


@dataclass(frozen=True)
class ModelTask:
    """One model: its registered name, features, label, holdout and quality floors."""

    model_name: str
    spec: FeatureSpec
    label: str
    gap_days: int
    floors: dict[str, float]
    min_positives: int
    time_column: str = "cutoff_at"
    holdout_share: float = 0.25
    regularisation_c: float = 0.05  # strong L2: a young shop has few dozen positives
    # rules the model replaces (e.g. the lead score's prior): the model must beat their AUC
    baseline: Callable[[pd.DataFrame], np.ndarray] | None = None


@dataclass(frozen=True)
class TrainOutcome:
    """What a training attempt did: trained or not (why), and the registry's answer."""

    model_name: str
    trained: bool
    reason: str
    rows: int
    positives: int
    version: str | None = None
    promoted: bool = False
    metrics: dict[str, float] = field(default_factory=dict)


def train_from_table(engine: sa.Engine, table: str, task: ModelTask, margin: float) -> TrainOutcome:
    """Train `task` on dbt's training `table`; a champion only if it beats the current one."""
    return train_and_register(task, read_table(engine, table), margin)


def train_and_register(task: ModelTask, rows: pd.DataFrame, margin: float) -> TrainOutcome:
    """Fit on the older cut-offs, measure on the newest, log everything, register."""
    positives = int(rows[task.label].sum()) if len(rows) else 0
    split = time_holdout(
        rows, time_column=task.time_column, holdout_share=task.holdout_share, gap_days=task.gap_days
    ) if positives >= task.min_positives else None  # fmt: skip
    reason = _why_not(task, positives, split)
    if reason or split is None:
        return TrainOutcome(task.model_name, False, reason, len(rows), positives)
    model = build_pipeline(task.regularisation_c)
    model.fit(task.spec.frame(split.train), split.train[task.label])
    holdout_x, holdout_y = task.spec.frame(split.holdout), split.holdout[task.label]
    scores = metrics(holdout_y, model.predict_proba(holdout_x)[:, 1])
    with training_run(
        task.model_name,
        params=_params(task, split.train, split.holdout_from),
        data_rows=len(rows),
        data_window=(rows[task.time_column].min(), rows[task.time_column].max()),
    ):
        _log_plots(model, task, holdout_y, holdout_x)
        promotion = register(
            model,
            model_name=task.model_name,
            signature_input_example=holdout_x.head(5),
            metrics=scores,
            floors=_floors(task, holdout_x, holdout_y),
            primary_metric="auc",
            margin=margin,
            higher_is_better=HIGHER_IS_BETTER,
            evaluate=lambda champion: metrics(holdout_y, champion.predict_proba(holdout_x)[:, 1]),
        )
    return TrainOutcome(
        task.model_name, True, promotion.reason, len(rows), positives,
        promotion.version, promotion.promoted, scores,
    )  # fmt: skip


def _why_not(task: ModelTask, positives: int, split: Split | None) -> str | None:
    """Why these rows cannot give an honest model (None: they can)."""
    if split is None:
        return f"{positives} positive rows, fewer than the {task.min_positives} required"
    if split.train[task.label].nunique() < 2 or split.holdout[task.label].nunique() < 2:
        return "training rows or holdout rows hold only one class: no AUC to compare"
    return None


def _floors(task: ModelTask, features: pd.DataFrame, labels: pd.Series) -> dict[str, float]:
    """The task's floors, the AUC one raised to the baseline's on this holdout (logged)."""
    if task.baseline is None:
        return task.floors
    baseline = metrics(labels, task.baseline(features))
    mlflow.log_metrics({f"baseline_{k}": v for k, v in baseline.items()})
    return {**task.floors, "auc": max(task.floors.get("auc", 0.0), baseline["auc"])}


def _params(task: ModelTask, train: pd.DataFrame, holdout_from: pd.Timestamp | None) -> dict:
    """What to record about the fit beyond the data window ml.tracking logs."""
    return {
        "estimator": "arcsinh + StandardScaler + LogisticRegression",
        "C": task.regularisation_c,
        "features": ",".join(task.spec.columns),
        "label": task.label,
        "holdout_share": task.holdout_share,
        "holdout_from": holdout_from.isoformat() if holdout_from is not None else "none",
        "gap_days": task.gap_days,
        "train_rows": len(train),
        "train_positives": int(train[task.label].sum()),
    }


def _log_plots(model, task: ModelTask, labels: pd.Series, features: pd.DataFrame) -> None:
    """Reliability diagram and feature importance, as artifacts of the active run."""
    with tempfile.TemporaryDirectory() as folder:
        probabilities = model.predict_proba(features)[:, 1]
        for path in (
            calibration_plot(labels, probabilities, Path(folder) / "calibration.png"),
            importance_plot(importance(model, task.spec.columns), Path(folder) / "importance.png"),
        ):
            mlflow.log_artifact(str(path), artifact_path="plots")
