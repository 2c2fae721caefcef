"""The sentiment model: the same character + word TF-IDF, a three-class logistic regression.

Word bigrams carry negation ("no funciona", "not happy"); emoji count as words. The
classes are weighted because neutral messages outnumber the others in chat traffic and
in the corpus, and a model that calls everything neutral would look accurate.
"""

from __future__ import annotations

import pandas as pd

from ml.sentiment.evaluate import evaluate, plots
from ml.text import training
from ml.text.training import TextTask, TrainingOutcome

MODEL_NAME = "crm-sentiment"

TASK = TextTask(
    model_name=MODEL_NAME,
    label="sentiment",
    params={"C": 10.0, "char_ngrams": (2, 5), "word_ngrams": (1, 2)},
    evaluate=evaluate,
    plots=plots,
    primary_metric="accuracy",
    floor_setting="sentiment_min_accuracy",
)


def train(teacher: pd.DataFrame | None = None) -> TrainingOutcome:
    """Train on the corpus (plus teacher labels, if given), score on the held-out set,
    register; promote if it earns it."""
    return training.train(TASK, teacher)
