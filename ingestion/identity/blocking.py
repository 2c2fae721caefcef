"""Blocking: the candidate pairs worth comparing, in near-linear time.

Comparing every pair of a million records is 5 * 10^11 comparisons; a person's records
almost always agree exactly on *something* (a phone key, a name with a date of birth, a
postcode with a street). Each rule groups records on such a key and pairs records within a
group; the union of the rules is the candidate set. Groups larger than `max_group` (a
placeholder value, a very common name) are skipped: their pairs say little, and they are
the ones that would make the work quadratic (a million CRM records hold name groups of
hundreds; their pairs agree on something besides the name, which other rules catch).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Each rule: columns that must all be equal (and present). Derived columns (a prefix of
# a name, the year of birth) are built by `blocking_frame`.
RULES: tuple[tuple[str, ...], ...] = (
    ("phone_key",),
    ("email_key",),
    ("channel_key",),
    ("first_key", "last_key"),
    ("last_key", "dob"),
    ("first_key", "dob"),
    ("first_key", "postcode"),
    ("last_key", "postcode"),
    ("street_key", "postcode"),
    ("last_key", "city_key", "first_initial"),
    ("dob", "postcode"),
    ("phone_tail", "first_initial"),
    ("first3", "last3"),
    ("last3", "birth_year"),
    ("first3", "postcode"),
    ("name_tokens",),
    ("dob", "city_key"),
    ("dob", "first_initial"),
    ("street_key", "city_key"),
    ("postcode", "street_number"),
    ("last3", "postcode"),
)
MAX_GROUP = 50


def blocking_frame(records: pd.DataFrame) -> pd.DataFrame:
    """The record features plus the derived keys the rules use."""
    frame = records.copy()
    first = frame["first_key"].astype("string")
    last = frame["last_key"].astype("string")
    frame["first_initial"] = first.str[:1]
    frame["first3"] = first.str[:3]
    frame["last3"] = last.str[:3]
    frame["birth_year"] = frame["dob"].astype("string").str[:4]
    frame["phone_tail"] = frame["phone_key"].astype("string").str[-7:]
    frame["street_number"] = frame["street_key"].astype("string").str.extract(r"(\d+)")[0]
    # first and last name in either order: "perez juan" blocks with "juan perez"
    swapped = (first > last).fillna(False).astype(bool)
    frame["name_tokens"] = first.where(~swapped, last) + " " + last.where(~swapped, first)
    return frame


def _group_codes(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """An integer code per record for the rule's key; -1 where any part is missing."""
    parts = frame[list(columns)]
    present = parts.notna().all(axis=1).to_numpy()
    codes = np.full(len(frame), -1, dtype=np.int64)
    if present.any():
        keyed = parts[present].astype(str)
        codes[present] = keyed.groupby(list(columns), sort=False).ngroup().to_numpy()
    return codes


def pairs_within_groups(codes: np.ndarray, max_group: int = MAX_GROUP) -> np.ndarray:
    """All (i, j), i < j, of records sharing a code (>= 0), groups of 2..max_group only.

    Vectorised per group size: every group of size s contributes the same triangle of
    offsets, so one `triu_indices` per distinct size builds all their pairs at once.
    """
    keep = np.flatnonzero(codes >= 0)
    order = keep[np.argsort(codes[keep], kind="stable")]
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    chunks = [np.empty((0, 2), dtype=np.int64)]
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_group)]):
        group_starts = starts[sizes == size]
        a, b = np.triu_indices(size, k=1)
        left = order[(group_starts[:, None] + a[None, :]).ravel()]
        right = order[(group_starts[:, None] + b[None, :]).ravel()]
        chunks.append(np.column_stack([np.minimum(left, right), np.maximum(left, right)]))
    return np.concatenate(chunks)


def candidate_pairs(
    records: pd.DataFrame,
    rules: tuple[tuple[str, ...], ...] = RULES,
    max_group: int = MAX_GROUP,
) -> np.ndarray:
    """The union of every rule's pairs as an (n, 2) array of row positions, i < j, unique."""
    frame = blocking_frame(records)
    found = [
        pairs_within_groups(_group_codes(frame, rule), max_group)
        for rule in rules
        if all(column in frame for column in rule)
    ]
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)
    if len(pairs) == 0:
        return pairs
    packed = np.unique(pairs[:, 0] * np.int64(len(records)) + pairs[:, 1])
    return np.column_stack([packed // len(records), packed % len(records)])
