"""Why records were linked, and which pairs a person should look at.

Every link must be explainable: each record of a merged lead keeps its strongest link into
the lead (the rule, the partner record, the match probability and, for a probabilistic
match, the bits each field contributed). Scored pairs at or above the review threshold
are kept with a status; those between the thresholds that ended in different leads, with
no decision yet, are the review queue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingestion.identity.clustering import RULE_ORDER
from ingestion.identity.compare import COMPARISONS, NULL
from ingestion.identity.decisions import latest_decisions

LINK_COLUMNS = [
    "record_id", "source", "source_id", "lead_id", "match_confidence", "match_rule",
    "reasons", "name_key", "phone_key", "phone_e164", "email_key", "email", "channel_key",
]  # fmt: skip
PAIR_COLUMNS = [
    "record_a", "source_a", "source_id_a", "record_b", "source_b", "source_id_b", "lead_a",
    "lead_b", "match_probability", "match_weight", "status", "reasons",
]  # fmt: skip


def field_reasons(gamma: np.ndarray, factors: np.ndarray) -> list[list[str]]:
    """Per pair, "field: level (+x.x bits)" for each field both records have."""
    columns = []
    for k, comparison in enumerate(COMPARISONS):
        labels = np.array(comparison.labels, dtype=object)
        text = np.char.add(
            np.char.add(f"{comparison.name}: ", labels[np.maximum(gamma[:, k], 0)].astype(str)),
            np.char.mod(" (%+.1f bits)", factors[:, k]),
        )
        columns.append(np.where(gamma[:, k] == NULL, "", text))
    return [[part for part in row if part] for row in zip(*columns, strict=True)] if columns else []


def _best_edges(record_ids: pd.Series, lead_ids: pd.Series, edges: pd.DataFrame) -> pd.DataFrame:
    """Per record in a merged lead: its strongest edge inside the lead, and the partner."""
    inside = edges[lead_ids.to_numpy()[edges["i"]] == lead_ids.to_numpy()[edges["j"]]]
    ends = pd.concat(
        [
            inside.assign(rec=inside["i"], partner=inside["j"]),
            inside.assign(rec=inside["j"], partner=inside["i"]),
        ]
    )
    ends = ends.assign(order=ends["rule"].map(RULE_ORDER)).sort_values(
        ["order", "probability"], ascending=[True, False], kind="stable"
    )
    best = ends.drop_duplicates("rec").set_index("rec")
    best["partner_id"] = record_ids.to_numpy()[best["partner"].to_numpy()]
    return best


def _edge_reasons(best: pd.DataFrame, scored) -> list[list[str]]:
    """ "<rule> with <partner>", then the field bits when the edge is probabilistic."""
    heads = [
        f"{rule} with {partner}"
        for rule, partner in zip(best["rule"], best["partner_id"], strict=True)
    ]
    pair_rows = best["pair"].to_numpy(dtype=float) if "pair" in best else np.full(len(best), np.nan)
    probabilistic = np.flatnonzero(~np.isnan(pair_rows))
    details: list[list[str]] = [[] for _ in range(len(best))]
    picked = pair_rows[probabilistic].astype(np.int64)
    for slot, text in zip(
        probabilistic, field_reasons(scored.gamma[picked], scored.factors[picked]), strict=True
    ):
        details[slot] = text
    return [[head, *more] for head, more in zip(heads, details, strict=True)]


def record_links(records: pd.DataFrame, lead_ids: pd.Series, edges: pd.DataFrame, scored):
    """One row per record: its lead, confidence, rule and reasons (columns `LINK_COLUMNS`).

    A record alone in its lead is linked by its own id (`same_source_id`, confidence 1).
    """
    best = _best_edges(records["record_id"], lead_ids, edges)
    links = records.assign(
        lead_id=lead_ids.to_numpy(),
        match_confidence=1.0,
        match_rule="same_source_id",
        reasons=[[] for _ in range(len(records))],
        phone_key=records["phone_key"].where(records["phone_valid"].astype(bool), None),
    )
    rows = best.index.to_numpy()
    links.loc[rows, "match_confidence"] = best["probability"].to_numpy()
    links.loc[rows, "match_rule"] = best["rule"].to_numpy()
    links.loc[rows, "reasons"] = pd.Series(_edge_reasons(best, scored), index=rows)
    return links[LINK_COLUMNS]


def _statuses(same: np.ndarray, probability: np.ndarray, decided: pd.Series, settings):
    """linked / same_lead / held_apart / review, or the person's accepted / rejected."""
    status = np.where(
        same,
        np.where(probability >= settings.link_at, "linked", "same_lead"),
        np.where(probability >= settings.link_at, "held_apart", "review"),
    ).astype(object)
    known = decided.notna().to_numpy()
    status[known] = decided[known].map({"accept": "accepted", "reject": "rejected"}).to_numpy()
    return status


def pair_table(records, lead_ids, scored, decisions, settings) -> pd.DataFrame:
    """Scored pairs at or above the review threshold (columns `PAIR_COLUMNS`), record_a
    the smaller id, with their status and the bits each field contributed."""
    keep = np.flatnonzero(scored.probability >= settings.review_at)
    left, right = scored.pairs[keep, 0], scored.pairs[keep, 1]
    ids = records["record_id"].to_numpy()
    swap = ids[left] > ids[right]
    first, second = np.where(swap, right, left), np.where(swap, left, right)
    table = pd.DataFrame({"_a": first, "_b": second})
    for suffix, rows in (("_a", first), ("_b", second)):
        table[f"record{suffix}"] = ids[rows]
        table[f"source{suffix}"] = records["source"].to_numpy()[rows]
        table[f"source_id{suffix}"] = records["source_id"].to_numpy()[rows]
        table[f"lead{suffix}"] = lead_ids.to_numpy()[rows]
    table["match_probability"] = scored.probability[keep]
    table["match_weight"] = scored.weight[keep]
    latest = latest_decisions(decisions).set_index(["record_a", "record_b"])["decision"]
    wanted = pd.MultiIndex.from_arrays([table["record_a"], table["record_b"]])
    decided = pd.Series(latest.reindex(wanted).to_numpy())
    same = table["lead_a"].to_numpy() == table["lead_b"].to_numpy()
    table["status"] = _statuses(same, scored.probability[keep], decided, settings)
    table["reasons"] = field_reasons(scored.gamma[keep], scored.factors[keep])
    return table[PAIR_COLUMNS]
