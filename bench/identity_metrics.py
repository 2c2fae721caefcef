"""Pairwise precision, recall and F1 of a clustering against the true clusters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    predicted_pairs: int
    true_pairs: int


def _pairs(sizes: pd.Series) -> int:
    """How many record pairs clusters of these sizes hold."""
    values = sizes.to_numpy(dtype=np.int64)
    return int((values * (values - 1) // 2).sum())


def pairwise_scores(predicted, actual) -> Scores:
    """Scores over all record pairs: a pair is predicted when both share a predicted label."""
    frame = pd.DataFrame({"p": np.asarray(predicted), "t": np.asarray(actual)})
    both = _pairs(frame.groupby(["p", "t"]).size())
    predicted_pairs = _pairs(frame.groupby("p").size())
    true_pairs = _pairs(frame.groupby("t").size())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, predicted_pairs, true_pairs)
