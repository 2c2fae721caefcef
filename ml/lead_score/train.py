"""Train `crm-lead-score` from dbt's point-in-time training set and register it.

The time holdout is the newest quarter of cut-offs, with training rows ending one label
horizon (`ml_horizon_days`) earlier; floors and the promotion margin come from settings,
and the model must also beat the prior's AUC on the same holdout: it replaces the rules
only when it ranks leads better than they do.
"""

from __future__ import annotations

import sqlalchemy as sa

from crm.settings import Settings
from ml.lead_score.features import LABEL, MODEL_NAME, SPEC, TRAINING_TABLE
from ml.lead_score.prior import prior_probability
from ml.tabular.data import dbt_var
from ml.tabular.training import ModelTask, TrainOutcome, train_from_table


def task(settings: Settings) -> ModelTask:
    """The lead-score model as the shared trainer needs it."""
    return ModelTask(
        model_name=MODEL_NAME,
        spec=SPEC,
        label=LABEL,
        gap_days=dbt_var("ml_horizon_days"),
        floors={"auc": settings.lead_score_min_auc, "brier": settings.lead_score_max_brier},
        min_positives=settings.lead_score_min_positives,
        baseline=prior_probability,
    )


def train(engine: sa.Engine, settings: Settings) -> TrainOutcome:
    """Fit, evaluate, log and register; a champion only if it beats the current one."""
    return train_from_table(engine, TRAINING_TABLE, task(settings), settings.ml_promotion_margin)
