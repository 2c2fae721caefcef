"""Close probabilities for open conversations, and the best one per lead.

Only a champion model gives a close probability: there is no documented prior for deals,
and a made-up number would be worse than none (`dim_leads.close_probability` stays null).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ml.close_probability.features import SPEC
from ml.tabular.pipeline import top_reasons


def score_conversations(rows: pd.DataFrame, champion: tuple[Any, str]) -> pd.DataFrame:
    """conversation_id, lead_id, close_probability and reasons for each open conversation."""
    model, _version = champion
    features = SPEC.frame(rows)
    return pd.DataFrame(
        {
            "conversation_id": rows["conversation_id"].to_numpy(),
            "lead_id": rows["lead_id"].to_numpy(),
            "close_probability": model.predict_proba(features)[:, 1],
            "reasons": top_reasons(model, features),
        }
    )


def best_per_lead(conversations: pd.DataFrame) -> pd.Series:
    """Each lead's highest close probability over its open conversations."""
    return conversations.groupby("lead_id")["close_probability"].max()
