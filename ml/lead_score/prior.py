"""The lead score before the shop has enough outcomes to learn from: documented rules.

A young shop has no orders to learn from, and Salesforce-style "come back after 1,000
leads" is no answer, so until `lead_score_min_positives` converted rows exist the score
is this prior (`score_source = 'prior'`). Each rule adds to a base probability; the sum
is clipped to 1-90 %. The weights are judgement, not fitted, and the reasons say which
rules fired:

| rule | adds |
| --- | --- |
| base rate | 0.02 |
| a buying intent seen (price, purchase, payment) | 0.20 |
| each inbound message in the last 7 days, up to 5 | 0.03 |
| wrote in the last 2 days | 0.10 |
| has ordered before | 0.05 |
| a complaint or refund request seen | -0.05 |
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BASE = 0.02
RULES: tuple[tuple[str, float], ...] = (
    ("buying_intent_seen", 0.20),
    ("recent_inbound_messages", 0.03),
    ("wrote_in_last_2_days", 0.10),
    ("ordered_before", 0.05),
    ("complaint_seen", -0.05),
)


def rule_inputs(features: pd.DataFrame) -> pd.DataFrame:
    """How much each rule applies to each row (1/0, or a count for recent messages)."""
    return pd.DataFrame(
        {
            "buying_intent_seen": (features["buying_intents"] > 0).astype(float),
            "recent_inbound_messages": features["inbound_last_7d"].clip(upper=5).astype(float),
            "wrote_in_last_2_days": (features["days_since_last_inbound"] <= 2).astype(float),
            "ordered_before": (features["orders_before"] > 0).astype(float),
            "complaint_seen": (features["complaint_intents"] > 0).astype(float),
        },
        index=features.index,
    )


def prior_probability(features: pd.DataFrame) -> np.ndarray:
    """The rules' probability for each row of `SPEC.frame(...)` features."""
    weights = np.array([w for _, w in RULES])
    return np.clip(BASE + rule_inputs(features).to_numpy() @ weights, 0.01, 0.90)


def prior_reasons(features: pd.DataFrame, top: int = 3) -> list[list[dict[str, float | str]]]:
    """The rules that fired for each row, largest effect first."""
    inputs = rule_inputs(features)
    effects = inputs.to_numpy() * np.array([w for _, w in RULES])
    names = [name for name, _ in RULES]
    out = []
    for i in range(len(inputs)):
        fired = [j for j in np.argsort(-np.abs(effects[i])) if effects[i, j] != 0][:top]
        out.append(
            [
                {
                    "feature": names[j],
                    "value": float(inputs.iat[i, j]),
                    "effect": round(float(effects[i, j]), 3),
                }
                for j in fired
            ]
        )
    return out
