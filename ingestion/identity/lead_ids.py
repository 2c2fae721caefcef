"""Stable lead ids: a re-run on more data keeps every lead_id unless two leads merge.

Analysts, scores and conversations hold lead_ids, so an id must outlive re-clustering.
Each previous lead is owned by the new cluster holding most of its records (ties: the one
holding its oldest record). A cluster that owns one previous lead keeps its id; one that
owns several keeps the id of the oldest lead (earliest first-seen record, then the id)
and retires the others, each mapped to the survivor. A cluster that owns none is a new
lead, named md5("source:source_id") of its oldest record, the id dbt gave one-identity
leads, so the first resolution run changes no id that has no reason to change. History is
kept compressed: every retired id points straight at a live one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

HISTORY_COLUMNS = ["retired_lead_id", "surviving_lead_id"]


def first_lead_id(record_id: str) -> str:
    """md5 hex of `source:source_id`, as dbt's `key(['source', 'source_id'])` computes it."""
    return hashlib.md5(record_id.encode()).hexdigest()


@dataclass
class Assignment:
    """Each record's lead_id (aligned with the input), the full history, and what changed."""

    lead_ids: pd.Series
    history: pd.DataFrame
    merged: int
    new_leads: int


def _ranked(record_ids: pd.Series, seen_at: pd.Series, clusters, previous) -> pd.DataFrame:
    """Records with their cluster, previous lead and age rank (0 = oldest)."""
    frame = pd.DataFrame(
        {"record_id": record_ids.to_numpy(), "seen": seen_at.to_numpy(), "cluster": clusters}
    )
    frame["rank"] = frame.sort_values(["seen", "record_id"], na_position="last").index.argsort()
    lookup = previous.drop_duplicates("record_id").set_index("record_id")["lead_id"]
    frame["prev"] = frame["record_id"].map(lookup)
    return frame


def _owners(frame: pd.DataFrame) -> pd.DataFrame:
    """Per previous lead still present: its owning cluster and its age (oldest record rank)."""
    held = frame.dropna(subset=["prev"]).groupby(["prev", "cluster"], as_index=False)
    held = held.agg(n=("rank", "size"), first=("rank", "min"))
    held = held.sort_values(["prev", "n", "first"], ascending=[True, False, True])
    owners = held.drop_duplicates("prev")[["prev", "cluster"]]
    age = frame.dropna(subset=["prev"]).groupby("prev")["rank"].min().rename("age")
    return owners.join(age, on="prev").sort_values(["cluster", "age", "prev"])


def _new_ids(frame: pd.DataFrame, clusters: pd.Index, taken: set[str]) -> dict:
    """A fresh id per cluster: its oldest record's first id, else the next free one."""
    members = frame[frame["cluster"].isin(clusters)].sort_values("rank")
    oldest = members.drop_duplicates("cluster")
    out = dict(zip(oldest["cluster"], map(first_lead_id, oldest["record_id"]), strict=True))
    clashes = [c for c, lead_id in out.items() if lead_id in taken]
    for cluster in clashes:  # a split-off part whose oldest record named the kept lead
        ids = members.loc[members["cluster"] == cluster, "record_id"]
        candidates = [first_lead_id(r) for r in ids] + [first_lead_id(f"split:{ids.iloc[0]}")]
        out[cluster] = next(c for c in candidates if c not in taken)
    taken.update(out.values())
    return out


def _compress(history: pd.DataFrame, live: set[str]) -> pd.DataFrame:
    """Drop revived ids and point every retired id at a live one (follow chains)."""
    history = history[~history["retired_lead_id"].isin(live)].drop_duplicates(
        "retired_lead_id", keep="last"
    )
    mapping = dict(zip(history["retired_lead_id"], history["surviving_lead_id"], strict=True))
    for _ in range(len(mapping) + 1):
        moved = {k: mapping.get(v, v) for k, v in mapping.items()}
        if moved == mapping:
            break
        mapping = moved
    return pd.DataFrame({"retired_lead_id": list(mapping), "surviving_lead_id": mapping.values()})


def assign_lead_ids(
    record_ids: pd.Series,
    seen_at: pd.Series,
    clusters,
    previous: pd.DataFrame,
    history: pd.DataFrame,
) -> Assignment:
    """Lead ids for this run's clusters, given last run's record → lead_id and history."""
    frame = _ranked(record_ids, seen_at, clusters, previous)
    owners = _owners(frame)
    survivors = owners.drop_duplicates("cluster")
    retired = owners[owners.duplicated("cluster")].merge(
        survivors[["cluster", "prev"]], on="cluster", suffixes=("", "_survivor")
    )
    chosen = dict(zip(survivors["cluster"], survivors["prev"], strict=True))
    orphans = pd.Index(frame["cluster"].unique()).difference(pd.Index(list(chosen)))
    chosen |= _new_ids(frame, orphans, set(chosen.values()))
    merges = pd.DataFrame(
        {"retired_lead_id": retired["prev"], "surviving_lead_id": retired["prev_survivor"]}
    )
    live = set(chosen.values())
    full = _compress(pd.concat([history[HISTORY_COLUMNS], merges], ignore_index=True), live)
    return Assignment(
        lead_ids=frame["cluster"].map(chosen).set_axis(record_ids.index),
        history=full,
        merged=len(merges),
        new_leads=len(orphans),
    )
