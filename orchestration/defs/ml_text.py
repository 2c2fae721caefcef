"""Intent and sentiment models in Dagster: training assets and their quality checks.

Thin wrappers over `ml.intent.train` and `ml.sentiment.train`. The models learn from the
project's corpus (files in `ml/text/corpus/`), plus the LLM teacher's labels of real
messages in `ml.teacher_labels` when `crm ml teach` has written any (reported as
`teacher_rows`), not from the marts, so the assets have no upstream. Like the tabular
models they train when no champion exists (so `crm pipeline` trains on a fresh install)
and always in the `text_model_training` job
(weekly schedule, or launched from the UI). The checks re-score each champion on the
held-out set against its floor, so a lowered floor or a hand-moved alias shows up.
"""

from collections.abc import Callable

import dagster as dg
import pandas as pd
import psycopg

from crm.database import database_url
from ml.intent import train as intent
from ml.sentiment import train as sentiment
from ml.text.corpus import heldout_examples
from ml.text.teacher import teacher_examples
from ml.text.training import TextTask, TrainingOutcome
from ml.tracking import load_champion
from orchestration.defs.lead_scores import TrainConfig

INTENT_KEY = dg.AssetKey(["ml", "models", "crm_intent"])
SENTIMENT_KEY = dg.AssetKey(["ml", "models", "crm_sentiment"])


def _train(
    config: TrainConfig, task: TextTask, train: Callable[[pd.DataFrame], TrainingOutcome]
) -> dg.MaterializeResult:
    """Train (unless a champion exists and `always` is off); report what the registry did."""
    champion = None if config.always else load_champion(task.model_name)
    if champion is not None:
        reason = f"champion v{champion[1]} kept (set always=true to retrain)"
        return dg.MaterializeResult(metadata={"trained": False, "reason": reason})
    with psycopg.connect(database_url()) as conn:
        teacher = teacher_examples(conn)
    outcome = train(teacher)
    return dg.MaterializeResult(
        metadata={
            "trained": True,
            "teacher_rows": len(teacher),
            "version": outcome.promotion.version,
            "promoted": outcome.promotion.promoted,
            "reason": outcome.promotion.reason,
            **{name: float(value) for name, value in outcome.metrics.items()},
        }
    )


@dg.asset(key=INTENT_KEY, group_name="ml", kinds={"scikitlearn"})
def intent_model(config: TrainConfig) -> dg.MaterializeResult:
    """crm-intent trained on the project's chat corpus, registered in MLflow."""
    return _train(config, intent.TASK, intent.train)


@dg.asset(key=SENTIMENT_KEY, group_name="ml", kinds={"scikitlearn"})
def sentiment_model(config: TrainConfig) -> dg.MaterializeResult:
    """crm-sentiment trained on the project's chat corpus, registered in MLflow."""
    return _train(config, sentiment.TASK, sentiment.train)


def _floor_check(key: dg.AssetKey, task: TextTask) -> dg.AssetChecksDefinition:
    """The champion, re-scored on the held-out set, meets its floor."""

    @dg.asset_check(asset=key, name="champion_meets_floor", description=_floor_check.__doc__)
    def _check() -> dg.AssetCheckResult:
        metric, minimum = task.floor()
        champion = load_champion(task.model_name)
        if champion is None:  # the corpus-trained stand-in serves: worth a look, not a stop
            return dg.AssetCheckResult(
                passed=False, severity=dg.AssetCheckSeverity.WARN, metadata={"champion": "none"}
            )
        model, version = champion
        value = task.evaluate(model, heldout_examples())[metric]
        return dg.AssetCheckResult(
            passed=value >= minimum,
            metadata={"version": version, metric: value, "floor": minimum},
        )

    return _check


text_model_checks = [
    _floor_check(INTENT_KEY, intent.TASK),
    _floor_check(SENTIMENT_KEY, sentiment.TASK),
]
