"""Comparison vectors: how closely two records agree, field by field, as discrete levels.

Fellegi-Sunter needs a small number of agreement levels per field (level 0 is the
strongest agreement, the last one "different"), not raw similarities: each level then gets
its own learned weight. Similarities come from rapidfuzz's `cpdist`, which scores the two
columns of every candidate pair element-wise in C++. A missing value on either side is
level -1 and weighs nothing: absence is not evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler
from rapidfuzz.process import cpdist

NULL = -1
Levels = Callable[[np.ndarray, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: its column, level labels (0 = strongest) and level rule."""

    name: str
    column: str
    labels: tuple[str, ...]
    levels: Levels
    term_frequency: bool = False


def similarity(a: np.ndarray, b: np.ndarray, scorer=JaroWinkler.normalized_similarity):
    """Element-wise similarity of two equally long string arrays."""
    return cpdist(list(a), list(b), scorer=scorer, workers=-1, dtype=np.float32)


def per_value(values: np.ndarray, rule: Callable[[pd.Series], pd.Series]) -> np.ndarray:
    """A vectorised string rule applied once per distinct value, mapped back (pairs repeat
    the same records many times)."""
    codes, uniques = pd.factorize(values)
    return rule(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)[codes]


def thresholds(exact: np.ndarray, score: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    """Level 0 when exact, then one level per cut the score reaches, else the last level."""
    level = np.full(len(score), len(cuts) + 1, dtype=np.int8)
    for i, cut in reversed(list(enumerate(cuts, start=1))):
        level[score >= cut] = i
    level[exact] = 0
    return level


def name_levels(a, b, _a2, _b2) -> np.ndarray:
    """First names: exact, Jaro-Winkler >= 0.92, >= 0.80, different."""
    return thresholds(a == b, similarity(a, b), (0.92, 0.80))


def surname_levels(a, b, a2, b2) -> np.ndarray:
    """Surnames: exact; one of two Spanish surnames shared; Jaro-Winkler cuts; different."""
    shared = ((a2 != "") & ((a2 == b) | (a2 == b2))) | ((b2 != "") & (b2 == a))
    level = thresholds(a == b, similarity(a, b), (1.01, 0.92, 0.80))
    level[(level > 1) & shared] = 1
    return level


def date_levels(a, b, _a2, _b2) -> np.ndarray:
    """ISO dates: exact; one edit or day/month swapped; two edits; different."""
    swapped = per_value(b, lambda d: d.str[:4] + "-" + d.str[8:10] + "-" + d.str[5:7])
    edits = cpdist(list(a), list(b), scorer=DamerauLevenshtein.distance, workers=-1)
    level = np.where(edits <= 2, 2, 3).astype(np.int8)
    level[(edits <= 1) | (a == swapped)] = 1
    level[a == b] = 0
    return level


def address_levels(a, b, _a2, _b2) -> np.ndarray:
    """Street keys: exact; token-set ratio >= 90, >= 70; different."""
    return thresholds(a == b, similarity(a, b, fuzz.token_set_ratio) / 100, (0.90, 0.70))


def place_levels(a, b, _a2, _b2) -> np.ndarray:
    """Cities: exact; Jaro-Winkler >= 0.90; different."""
    return thresholds(a == b, similarity(a, b), (0.90,))


def code_levels(a, b, _a2, _b2) -> np.ndarray:
    """Postcodes: exact; one edit; different."""
    edits = cpdist(list(a), list(b), scorer=DamerauLevenshtein.distance, workers=-1)
    return thresholds(a == b, 2 - np.minimum(edits, 2).astype(np.float32), (1.0,))


def phone_levels(a, b, _a2, _b2) -> np.ndarray:
    """Phone keys: exact; same last 7 digits (a country code dropped); different."""
    tail = (
        pd.Series(a, dtype=object).str[-7:].to_numpy()
        == pd.Series(b, dtype=object).str[-7:].to_numpy()
    )
    return thresholds(a == b, tail.astype(np.float32), (1.0,))


def email_levels(a, b, _a2, _b2) -> np.ndarray:
    """E-mail keys: exact; same mailbox name at another provider; different.

    Handles differ by a digit or two between namesakes ("ana.diaz12" / "ana.diaz71"),
    so a fuzzy mailbox match would be evidence for the wrong pairs.
    """
    local_a = per_value(a, lambda e: e.str.split("@", n=1).str[0])
    local_b = per_value(b, lambda e: e.str.split("@", n=1).str[0])
    return thresholds(a == b, (local_a == local_b).astype(np.float32), (1.0,))


def country_levels(a, b, _a2, _b2) -> np.ndarray:
    """Countries: same; different."""
    return thresholds(a == b, np.zeros(len(a), dtype=np.float32), ())


COMPARISONS: tuple[Comparison, ...] = (
    Comparison("first_name", "first_key", ("exact", "jw>=0.92 or swapped", "jw>=0.80", "different"),
               name_levels, term_frequency=True),
    Comparison("surname", "last_key",
               ("exact", "one surname shared or swapped", "jw>=0.92", "jw>=0.80", "different"),
               surname_levels, term_frequency=True),
    Comparison("date_of_birth", "dob", ("exact", "one edit or day/month swap", "two edits",
                                        "different"), date_levels),
    Comparison("street", "street_key", ("exact", "tokens>=90", "tokens>=70", "different"),
               address_levels),
    Comparison("city", "city_key", ("exact", "jw>=0.90", "different"), place_levels,
               term_frequency=True),
    Comparison("postcode", "postcode", ("exact", "one edit", "different"), code_levels,
               term_frequency=True),
    Comparison("phone", "phone_key", ("same key", "same last 7 digits", "different"),
               phone_levels),
    Comparison("email", "email_key", ("same key", "same mailbox name", "different"),
               email_levels),
    Comparison("country", "country", ("same", "different"), country_levels),
)  # fmt: skip
SECOND_COLUMN = {"last_key": "last2_key"}


def strings(records: pd.DataFrame, column: str | None) -> np.ndarray:
    """A column as an array of strings, '' for missing values (or a missing column)."""
    if column is None or column not in records:
        return np.full(len(records), "", dtype=object)
    values = records[column]
    return values.where(values.notna(), "").astype(str).to_numpy(dtype=object)


def swapped_names(records: pd.DataFrame, pairs: np.ndarray) -> np.ndarray:
    """Pairs whose first and last names are swapped ("Perez Juan" / "Juan Perez"), fuzzily."""
    first, last = strings(records, "first_key"), strings(records, "last_key")
    left, right = pairs[:, 0], pairs[:, 1]
    present = (first[left] != "") & (last[left] != "") & (first[right] != "")
    present &= last[right] != ""
    swapped = np.zeros(len(pairs), dtype=bool)
    rows = np.flatnonzero(present)
    if len(rows):
        a = similarity(first[left[rows]], last[right[rows]])
        b = similarity(last[left[rows]], first[right[rows]])
        swapped[rows] = (a >= 0.92) & (b >= 0.92)
    return swapped


def compare(
    records: pd.DataFrame,
    pairs: np.ndarray,
    comparisons: tuple[Comparison, ...] = COMPARISONS,
) -> np.ndarray:
    """Comparison levels, shape (pairs, comparisons), int8; -1 where either side is missing."""
    gamma = np.full((len(pairs), len(comparisons)), NULL, dtype=np.int8)
    left, right = pairs[:, 0], pairs[:, 1]
    for k, comparison in enumerate(comparisons):
        values = strings(records, comparison.column)
        a, b = values[left], values[right]
        present = np.flatnonzero((a != "") & (b != ""))
        if len(present) == 0:
            continue
        seconds = strings(records, SECOND_COLUMN.get(comparison.column))
        a2, b2 = seconds[left[present]], seconds[right[present]]
        gamma[present, k] = comparison.levels(a[present], b[present], a2, b2)
    names = [k for k, c in enumerate(comparisons) if c.column in ("first_key", "last_key")]
    if len(names) == 2 and len(pairs):
        # swapped names count as a near match (level 1) on both name fields
        swapped = swapped_names(records, pairs)
        for k in names:
            gamma[swapped, k] = np.where(gamma[swapped, k] > 1, 1, gamma[swapped, k])
    return gamma
