"""Lead scores for a frame of current features: the champion model's, else the prior's.

Pure functions (frames in, frames out) so the batch job, the API and the bench share them.
The score is the calibrated probability x 100, rounded; tiers cut it at the configured
thresholds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crm.settings import Settings
from ml.lead_score.features import MODEL_NAME, SPEC
from ml.lead_score.prior import prior_probability, prior_reasons
from ml.tabular.pipeline import top_reasons

PRIOR_NAME = "crm-lead-score-prior"


def tiers(scores: np.ndarray, settings: Settings) -> np.ndarray:
    """hot / warm / cold from the configured score thresholds."""
    return np.where(
        scores >= settings.lead_tier_hot_score,
        "hot",
        np.where(scores >= settings.lead_tier_warm_score, "warm", "cold"),
    )


def score_leads(
    rows: pd.DataFrame, champion: tuple[Any, str] | None, settings: Settings
) -> pd.DataFrame:
    """One row per input row: lead_id, score, tier, probability, source, reasons, model."""
    features = SPEC.frame(rows)
    if champion is None:
        probability, reasons = prior_probability(features), prior_reasons(features)
        source, name, version = "prior", PRIOR_NAME, None
    else:
        model, version = champion
        probability = model.predict_proba(features)[:, 1]
        reasons, source, name = top_reasons(model, features), "model", MODEL_NAME
    scores = np.rint(probability * 100).astype(int)
    return pd.DataFrame(
        {
            "lead_id": rows["lead_id"].to_numpy(),
            "score": scores,
            "tier": tiers(scores, settings),
            "probability": probability,
            "score_source": source,
            "reasons": reasons,
            "model_name": name,
            "model_version": version,
        }
    )
