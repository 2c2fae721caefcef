"""Train `crm-close-probability` from dbt's open-conversation training set and register it.

Same trainer as the lead score (time holdout, calibrated logistic regression, floors and
margin from settings); the gap is the close horizon (`ml_close_horizon_days`).
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.settings import Settings
from ml.close_probability.features import LABEL, MODEL_NAME, SPEC, TRAINING_TABLE
from ml.tabular.data import dbt_var
from ml.tabular.training import ModelTask, TrainOutcome, train_from_table


def task(settings: Settings) -> ModelTask:
    """The close-probability model as the shared trainer needs it."""
    return ModelTask(
        model_name=MODEL_NAME,
        spec=SPEC,
        label=LABEL,
        gap_days=dbt_var("ml_close_horizon_days"),
        floors={"auc": settings.close_probability_min_auc},
        min_positives=settings.close_probability_min_positives,
    )


def train(engine: sa.Engine, settings: Settings) -> TrainOutcome:
    """Fit, evaluate, log and register; a champion only if it beats the current one."""
    return train_from_table(engine, TRAINING_TABLE, task(settings), settings.ml_promotion_margin)
