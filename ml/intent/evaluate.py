"""How good an intent model is on a labelled set: macro-F1 overall and per language."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline

from ml.intent.predict import top_intents
from ml.text.corpus import INTENTS
from ml.text.evaluation import confusion_figure, per_language
from ml.text.features import TEXT_COLUMN


def _macro_f1(truth: pd.Series, predicted: np.ndarray) -> float:
    return f1_score(truth, predicted, labels=list(INTENTS), average="macro", zero_division=0)


def evaluate(model: Pipeline, frame: pd.DataFrame) -> dict[str, float]:
    """macro_f1, accuracy, macro_f1_<lang> and the mean confidence on `frame`."""
    predicted, confidence = top_intents(model, frame[TEXT_COLUMN].tolist())
    truth = frame["intent"]
    return {
        "macro_f1": float(_macro_f1(truth, predicted)),
        "accuracy": float(accuracy_score(truth, predicted)),
        **per_language(_macro_f1, frame, truth, predicted, "macro_f1"),
        "mean_confidence": float(confidence.mean()),
    }


def plots(model: Pipeline, frame: pd.DataFrame) -> dict[str, Figure]:
    """The per-intent confusion matrix on `frame`, as an MLflow artifact name → figure."""
    predicted, _ = top_intents(model, frame[TEXT_COLUMN].tolist())
    figure = confusion_figure(frame["intent"], predicted, INTENTS, "intent, held-out set")
    return {"intent_confusion.png": figure}
