"""The whole matcher in one call: records in, lead ids, scored pairs and history out.

The Dagster asset, the benchmark and the tests all call `resolve`, so the figures the
benchmark publishes are those of the code that runs in production. Thresholds are on the
match probability and set for precision first: a wrong merge hides a customer inside
another's history, while a missed one only leaves a duplicate for the review queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ingestion.identity.blocking import MAX_GROUP, candidate_pairs
from ingestion.identity.clustering import cluster
from ingestion.identity.compare import COMPARISONS, compare
from ingestion.identity.decisions import decision_edges
from ingestion.identity.deterministic import deterministic_edges, empty_edges
from ingestion.identity.explain import pair_table, record_links
from ingestion.identity.fellegi_sunter import (
    Model,
    bayes_factors,
    estimate_m,
    estimate_u,
    probabilities,
)
from ingestion.identity.lead_ids import HISTORY_COLUMNS, Assignment, assign_lead_ids


@dataclass(frozen=True)
class Settings:
    """Match probability at or above `link_at` links; from `review_at` up, a person looks."""

    link_at: float = 0.99
    review_at: float = 0.5
    max_group: int = MAX_GROUP
    u_sample: int = 200_000


@dataclass
class Scored:
    """Candidate pairs with their comparison levels, bits per field, weight, probability."""

    pairs: np.ndarray
    gamma: np.ndarray
    factors: np.ndarray
    weight: np.ndarray
    probability: np.ndarray
    model: Model


@dataclass
class Resolution:
    """What a run decided: per record, per scored pair, retired ids, and run figures."""

    links: pd.DataFrame
    pairs: pd.DataFrame
    history: pd.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)


def score_pairs(records: pd.DataFrame, settings: Settings | None = None) -> Scored:
    """Block, compare, learn the weights (EM, no labels) and score every candidate pair."""
    settings = settings or Settings()
    pairs = candidate_pairs(records, max_group=settings.max_group)
    gamma = compare(records, pairs, COMPARISONS)
    total = len(records) * (len(records) - 1) // 2
    model = estimate_m(gamma, estimate_u(records, COMPARISONS, settings.u_sample), total)
    factors = bayes_factors(records, pairs, gamma, model, COMPARISONS)
    weight, probability = probabilities(factors, model)
    return Scored(pairs, gamma, factors, weight, probability, model)


def _probabilistic_edges(scored: Scored, settings: Settings) -> pd.DataFrame:
    """Candidate pairs at or above the link threshold, as edges."""
    keep = scored.probability >= settings.link_at
    return pd.DataFrame(
        {
            "i": scored.pairs[keep, 0],
            "j": scored.pairs[keep, 1],
            "rule": "probabilistic",
            "probability": scored.probability[keep],
            "weight": scored.weight[keep],
            "pair": np.flatnonzero(keep),
        }
    )


def _kept_edges(
    records: pd.DataFrame, scored: Scored, previous: pd.DataFrame | None, settings: Settings
) -> pd.DataFrame:
    """Pairs in one lead last run that still score from the review threshold up: kept.

    Hysteresis: re-learned weights move a borderline pair a little either side of the
    link threshold from run to run, and a lead should not split and re-merge with them.
    """
    if previous is None or previous.empty:
        return empty_edges()
    before = records["record_id"].map(previous.set_index("record_id")["lead_id"]).to_numpy()
    left, right = before[scored.pairs[:, 0]], before[scored.pairs[:, 1]]
    keep = pd.notna(left) & (left == right) & (scored.probability >= settings.review_at)
    keep &= scored.probability < settings.link_at
    return pd.DataFrame(
        {
            "i": scored.pairs[keep, 0],
            "j": scored.pairs[keep, 1],
            "rule": "kept_link",
            "probability": scored.probability[keep],
            "weight": scored.weight[keep],
            "pair": np.flatnonzero(keep),
        }
    )


def _figures(records, edges, assignment: Assignment, pairs, scored: Scored) -> dict[str, Any]:
    """Run figures for the asset's metadata and the benchmark."""
    lead_ids = assignment.lead_ids.to_numpy()
    inside = lead_ids[edges["i"].to_numpy()] == lead_ids[edges["j"].to_numpy()]
    return {
        "records": len(records),
        "pairs_compared": len(scored.pairs),
        "links": int(inside.sum()),
        "clusters": int(assignment.lead_ids.nunique()),
        "merged_records": int(len(records) - assignment.lead_ids.nunique()),
        "merges": assignment.merged,
        "new_leads": assignment.new_leads,
        "review_queue": int((pairs["status"] == "review").sum()),
        "held_apart": int((pairs["status"] == "held_apart").sum()),
        "em_lambda": float(f"{scored.model.lam:.4g}"),
        "em_iterations": scored.model.iterations,
        "em_weights": scored.model.weights(COMPARISONS),
    }


def resolve(
    records: pd.DataFrame,
    previous: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    decisions: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> Resolution:
    """Resolve `records` (from `matching_features`) against last run's ids and decisions."""
    settings = settings or Settings()
    records = records.reset_index(drop=True)
    scored = score_pairs(records, settings)
    accepted, rejects = decision_edges(records["record_id"], decisions)
    edges = pd.concat(
        [
            accepted,
            deterministic_edges(records),
            _probabilistic_edges(scored, settings),
            _kept_edges(records, scored, previous, settings),
        ],
        ignore_index=True,
    )
    phones = records["phone_key"].where(records["phone_valid"].astype(bool), None).to_numpy()
    labels = cluster(len(records), edges, phones, records["name_key"].to_numpy(), rejects)
    assignment = assign_lead_ids(
        records["record_id"],
        records["seen_at"],
        labels,
        previous if previous is not None else pd.DataFrame(columns=["record_id", "lead_id"]),
        history if history is not None else pd.DataFrame(columns=HISTORY_COLUMNS),
    )
    links = record_links(records, assignment.lead_ids, edges, scored)
    pairs = pair_table(records, assignment.lead_ids, scored, decisions, settings)
    figures = _figures(records, edges, assignment, pairs, scored)
    return Resolution(links, pairs, assignment.history, figures)
