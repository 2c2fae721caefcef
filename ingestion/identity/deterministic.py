"""Deterministic links: records that share a key which, alone, identifies a person.

The same channel id, the same valid phone key (national variants already folded by
hygiene) or the same e-mail key link two records whatever their names say. Each group of
records sharing a key becomes a star (every record linked to the group's first), which
keeps a group of k records at k-1 edges. A key shared by more than `max_group` records is
a placeholder or a switchboard ("info@", a shop's own number), not a person: no links.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# (rule name, key column, only rows where this boolean column is true)
KEYS = (
    ("same_channel_id", "channel_key", None),
    ("same_phone", "phone_key", "phone_valid"),
    ("same_email", "email_key", None),
)
MAX_GROUP = 20
EDGE_COLUMNS = ["i", "j", "rule", "probability", "weight"]


def empty_edges() -> pd.DataFrame:
    """An edge table with no rows and the right columns."""
    return pd.DataFrame(
        {
            "i": pd.Series(dtype=np.int64),
            "j": pd.Series(dtype=np.int64),
            "rule": pd.Series(dtype=object),
            "probability": pd.Series(dtype=float),
            "weight": pd.Series(dtype=float),
        }
    )


def key_stars(values: pd.Series, max_group: int = MAX_GROUP) -> np.ndarray:
    """(first, other) position pairs for every group of equal non-null values."""
    present = values.notna().to_numpy()
    codes = np.full(len(values), -1, dtype=np.int64)
    codes[present] = pd.factorize(values[present])[0]
    sizes = np.bincount(codes[present]) if present.any() else np.array([], dtype=np.int64)
    codes[present & np.isin(codes, np.flatnonzero(sizes > max_group))] = -1
    keep = np.flatnonzero(codes >= 0)
    order = keep[np.argsort(codes[keep], kind="stable")]
    if len(order) == 0:
        return np.empty((0, 2), dtype=np.int64)
    first_of_group = np.r_[True, codes[order][1:] != codes[order][:-1]]
    heads = np.maximum.accumulate(np.where(first_of_group, np.arange(len(order)), 0))
    mask = ~first_of_group
    return np.column_stack([order[heads[mask]], order[mask]])


def deterministic_edges(records: pd.DataFrame, max_group: int = MAX_GROUP) -> pd.DataFrame:
    """One edge per record linked by a shared key, with its rule; probability 1."""
    frames = [empty_edges()]
    for rule, column, only in KEYS:
        if column not in records:
            continue
        values = records[column]
        if only is not None:
            values = values.where(records[only].astype(bool), None)
        stars = key_stars(values, max_group)
        frames.append(
            pd.DataFrame(
                {
                    "i": stars[:, 0],
                    "j": stars[:, 1],
                    "rule": rule,
                    "probability": 1.0,
                    "weight": np.inf,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
