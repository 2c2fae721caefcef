"""Held-out by time, measured by what a calibrated score promises, drawn for the MLflow run.

The holdout is the newest cut-offs; training rows stop `gap_days` (the label horizon)
before the holdout starts, so no training label looks into the holdout's period. Never a
random split: the same lead appears at many cut-offs, and a random split would let the
model see a lead's future from a neighbouring row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
)

HIGHER_IS_BETTER = {"auc": True, "pr_auc": True, "brier": False, "log_loss": False}


@dataclass(frozen=True)
class Split:
    """Training and holdout rows, and where the holdout starts."""

    train: pd.DataFrame
    holdout: pd.DataFrame
    holdout_from: pd.Timestamp | None


def time_holdout(
    rows: pd.DataFrame, *, time_column: str, holdout_share: float, gap_days: int
) -> Split:
    """The newest `holdout_share` of cut-off dates held out; training ends `gap_days` before."""
    cutoffs = np.sort(rows[time_column].unique())
    if len(cutoffs) < 2:
        return Split(rows, rows.iloc[0:0], None)
    first = cutoffs[max(1, int(len(cutoffs) * (1 - holdout_share)))]
    holdout_from = pd.Timestamp(first)
    train_until = holdout_from - timedelta(days=gap_days)
    return Split(
        rows[rows[time_column] <= train_until],
        rows[rows[time_column] >= holdout_from],
        holdout_from,
    )


def metrics(labels: pd.Series, probabilities: np.ndarray) -> dict[str, float]:
    """AUC, PR-AUC, Brier and log-loss (NaN for the ranking ones when one class is absent)."""
    y = labels.to_numpy()
    both = 0 < y.sum() < len(y)
    return {
        "auc": float(roc_auc_score(y, probabilities)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, probabilities)) if both else float("nan"),
        "brier": float(brier_score_loss(y, probabilities)),
        "log_loss": float(log_loss(y, probabilities, labels=[0, 1])),
        "holdout_rows": float(len(y)),
        "holdout_positives": float(y.sum()),
    }


def calibration_plot(labels: pd.Series, probabilities: np.ndarray, path: Path) -> Path:
    """Reliability diagram: predicted probability against the observed rate, by quantile bin."""
    observed, predicted = calibration_curve(labels, probabilities, n_bins=10, strategy="quantile")
    top = max(0.05, 1.1 * max(predicted.max(), observed.max()))  # rare outcomes: zoom in
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, top], [0, top], linestyle="--", color="grey", label="perfectly calibrated")
    ax.plot(predicted, observed, marker="o", label="model (holdout)")
    ax.set(xlabel="predicted probability", ylabel="observed rate", title="Reliability")
    ax.set(xlim=(0, top), ylim=(0, top))
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def importance_plot(importance: pd.Series, path: Path) -> Path:
    """Standardised coefficients as horizontal bars (positive: raises the probability)."""
    shown = importance.iloc[::-1]
    fig, ax = plt.subplots(figsize=(6, 0.35 * len(shown) + 1.2))
    ax.barh(shown.index, shown.to_numpy(), color=np.where(shown > 0, "tab:green", "tab:red"))
    ax.set(xlabel="standardised coefficient (log-odds per s.d.)", title="Feature importance")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
