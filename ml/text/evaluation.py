"""Measures shared by the text models: per-language scores and a confusion-matrix plot.

Plots are built on a bare `Figure` (no pyplot), so no display or backend is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix

from ml.text.corpus import LANGUAGES


def per_language(
    metric: Callable[[pd.Series, np.ndarray], float],
    frame: pd.DataFrame,
    truth: pd.Series,
    predicted: np.ndarray,
    name: str,
) -> dict[str, float]:
    """`metric` on each language's rows, named `<name>_<lang>`."""
    return {
        f"{name}_{lang}": float(metric(truth[mask], predicted[mask.to_numpy()]))
        for lang in LANGUAGES
        if (mask := frame["lang"] == lang).any()
    }


def confusion_figure(
    truth: pd.Series, predicted: np.ndarray, labels: Sequence[str], title: str
) -> Figure:
    """Row-normalised confusion matrix: where each true class's messages went."""
    matrix = confusion_matrix(truth, predicted, labels=list(labels), normalize="true")
    figure = Figure(figsize=(1.0 + 0.7 * len(labels), 0.8 + 0.6 * len(labels)))
    axes = figure.add_subplot()
    ConfusionMatrixDisplay(matrix, display_labels=list(labels)).plot(
        ax=axes, values_format=".2f", colorbar=False, xticks_rotation=60
    )
    axes.set_title(title)
    figure.tight_layout()
    return figure
