"""Reading the intent model's output: the most likely intent and its probability."""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import Pipeline

from ml.text.features import probabilities


def top_intents(model: Pipeline, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each message, the most probable intent and that probability (the confidence)."""
    found = probabilities(model, texts)
    best = found.argmax(axis=1)
    return model.classes_[best], found[np.arange(len(best)), best]
