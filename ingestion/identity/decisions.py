"""A person's decisions on pairs of records: "same person" or "not the same person".

Decisions are stored by record id (`source:source_id`), so they survive re-runs and new
data; the latest decision on a pair wins. An accepted pair becomes an edge that beats
every matcher rule (and the phone guard); a rejected pair becomes a constraint that no
chain of links may break.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingestion.identity.deterministic import empty_edges

DECISION_COLUMNS = ["record_a", "record_b", "decision", "decided_at"]


def latest_decisions(decisions: pd.DataFrame) -> pd.DataFrame:
    """One decision per unordered pair (the latest), with record_a < record_b."""
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=DECISION_COLUMNS)
    a, b = decisions["record_a"].astype(str), decisions["record_b"].astype(str)
    ordered = decisions.assign(record_a=np.minimum(a, b), record_b=np.maximum(a, b))
    ordered = ordered[ordered["record_a"] != ordered["record_b"]]
    ordered = ordered.sort_values("decided_at", kind="stable")
    return ordered.drop_duplicates(["record_a", "record_b"], keep="last")[DECISION_COLUMNS]


def decision_edges(
    record_ids: pd.Series, decisions: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """(accept edges with rule `human_accept`, reject pairs as positions) for these records."""
    latest = latest_decisions(decisions)
    position = pd.Series(np.arange(len(record_ids)), index=record_ids.to_numpy())
    i = latest["record_a"].map(position)
    j = latest["record_b"].map(position)
    known = latest.assign(i=i, j=j).dropna(subset=["i", "j"])
    accepted = known[known["decision"] == "accept"]
    edges = pd.concat(
        [
            empty_edges(),
            pd.DataFrame(
                {
                    "i": accepted["i"].astype(np.int64),
                    "j": accepted["j"].astype(np.int64),
                    "rule": "human_accept",
                    "probability": 1.0,
                    "weight": np.inf,
                }
            ),
        ],
        ignore_index=True,
    )
    rejected = known[known["decision"] == "reject"]
    return edges, rejected[["i", "j"]].to_numpy(dtype=np.int64).reshape(-1, 2)
