"""The intent model: character + word TF-IDF and a multinomial logistic regression.

Logistic regression gives probabilities that read as a confidence (the conversation
engine hands low-confidence messages to a person), trains in seconds on the corpus,
and answers one message in about a millisecond. `class_weight="balanced"` keeps the
smaller intents from being swallowed by the larger ones.
"""

from __future__ import annotations

import pandas as pd

from ml.intent.evaluate import evaluate, plots
from ml.text import training
from ml.text.training import TextTask, TrainingOutcome

MODEL_NAME = "crm-intent"

TASK = TextTask(
    model_name=MODEL_NAME,
    label="intent",
    params={"C": 20.0, "char_ngrams": (2, 5), "word_ngrams": (1, 2)},
    evaluate=evaluate,
    plots=plots,
    primary_metric="macro_f1",
    floor_setting="intent_min_macro_f1",
)


def train(teacher: pd.DataFrame | None = None) -> TrainingOutcome:
    """Train on the corpus (plus teacher labels, if given), score on the held-out set,
    register; promote if it earns it."""
    return training.train(TASK, teacher)
