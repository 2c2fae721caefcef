"""Lead score and close probability in Dagster: training, scoring, and their checks.

Thin wrappers over `ml.lead_score`, `ml.close_probability` and `ml.scoring`. The graph:
dbt training sets → model assets (MLflow runs + registry) → `ml/lead_scores` (reads dbt's
current features) → dbt `int_lead_scores_latest` → `marts.dim_leads`. dim_leads depends on
the scores, never the other way round: the features come from intermediate models and the
facts (fct_messages, fct_orders), so Dagster runs dbt in two steps around the scoring
asset and there is no cycle.

Training runs while no version is registered (so `crm pipeline` trains on a fresh install),
and always in the `ml_training` job (`defs/schedules.py`: weekly, or launched from the UI).
"""

from collections.abc import Callable

import dagster as dg
import sqlalchemy as sa
from mlflow.exceptions import MlflowException

from crm.settings import Settings, get_settings
from ml.close_probability import train as close_train
from ml.lead_score import train as lead_train
from ml.scoring import ScoringRun, score_all
from ml.store import connect
from ml.tabular.training import ModelTask, TrainOutcome
from ml.tracking import CHALLENGER
from orchestration.defs.resources import CrmDatabase

LEAD_TRAINING = dg.AssetKey(["ml_training", "ml_training__lead_conversion"])
DEAL_TRAINING = dg.AssetKey(["ml_training", "ml_training__deal_close"])
LEAD_FEATURES = dg.AssetKey(["ml_training", "ml_scoring__lead_features"])
OPEN_CONVERSATIONS = dg.AssetKey(["ml_training", "ml_scoring__open_conversations"])
LEADS = dg.AssetKey(["intermediate", "int_leads_resolved"])


class TrainConfig(dg.Config):
    """always: retrain even when a champion exists (the `ml_training` job sets it)."""

    always: bool = False


def _train(
    config: TrainConfig,
    database: CrmDatabase,
    train: Callable[[sa.Engine, Settings], TrainOutcome],
    task: ModelTask,
) -> dg.MaterializeResult:
    """Train unless a version exists and `always` is off; report what the registry did.

    "A version exists", not "a champion exists": a model that missed its floors would
    otherwise be retrained and registered again on every pipeline run.
    """
    latest = None if config.always else _latest_version(task.model_name)
    if latest is not None:
        reason = f"v{latest} registered already; the ml_training job retrains"
        return dg.MaterializeResult(metadata={"trained": False, "reason": reason})
    outcome = train(database.engine(), get_settings())
    return dg.MaterializeResult(
        metadata={
            "trained": outcome.trained,
            "reason": outcome.reason,
            "version": outcome.version or "none",
            "promoted": outcome.promoted,
            "training_rows": outcome.rows,
            "positives": outcome.positives,
            **{k: float(v) for k, v in outcome.metrics.items()},
        }
    )


def _latest_version(model_name: str) -> str | None:
    """The newest registered version (every new version is the challenger), or None."""
    try:
        return connect().get_model_version_by_alias(model_name, CHALLENGER).version
    except MlflowException:  # no such model or alias yet
        return None


@dg.asset(
    key=["ml", "models", "crm_lead_score"],
    group_name="ml",
    kinds={"scikitlearn"},
    deps=[LEAD_TRAINING],
)
def lead_score_model(config: TrainConfig, database: CrmDatabase) -> dg.MaterializeResult:
    """crm-lead-score trained on the point-in-time training set, registered in MLflow."""
    return _train(config, database, lead_train.train, lead_train.task(get_settings()))


@dg.asset(
    key=["ml", "models", "crm_close_probability"],
    group_name="ml",
    kinds={"scikitlearn"},
    deps=[DEAL_TRAINING],
)
def close_probability_model(config: TrainConfig, database: CrmDatabase) -> dg.MaterializeResult:
    """crm-close-probability trained on open conversations at past cut-offs, registered."""
    return _train(config, database, close_train.train, close_train.task(get_settings()))


@dg.asset(
    key=["ml", "lead_scores"],
    group_name="ml",
    kinds={"python", "postgres"},
    deps=[lead_score_model, close_probability_model, LEAD_FEATURES, OPEN_CONVERSATIONS],
)
def lead_scores(database: CrmDatabase) -> dg.MaterializeResult:
    """Every lead scored (champion model, else the prior) and appended to ml.lead_scores."""
    run: ScoringRun = score_all(database.engine(), get_settings())
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": run.leads,
            "score_run_id": run.run_id,
            "score_source": run.score_source,
            "model_version": run.model_version or "prior",
            "close_model_version": run.close_model_version or "none",
            "open_conversations": run.open_conversations,
            "mean_score": run.mean_score,
            "tiers": dg.MetadataValue.json(run.tiers),
        }
    )
