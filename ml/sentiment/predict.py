"""Reading the sentiment model's output: a polarity score in -1..1 and a label.

The score is P(positive) - P(negative): -1 is surely negative, +1 surely positive, and
a neutral or uncertain message sits near 0, which is what a ranking or a threshold
("escalate below -0.5") needs.
"""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import Pipeline

from ml.text.features import probabilities


def polarity(model: Pipeline, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For each message, the score in -1..1 and the most probable label."""
    found = probabilities(model, texts)
    column = {label: i for i, label in enumerate(model.classes_)}
    score = found[:, column["positive"]] - found[:, column["negative"]]
    return score, model.classes_[found.argmax(axis=1)]
