"""Fellegi-Sunter weights learned without labels: u from random pairs, m and λ by EM.

As Splink does: `u` (how often non-matches agree at a level) is the level frequency among
random record pairs, which are nearly all non-matches; `m` (how often matches agree) and
the share of matches λ among candidate pairs are learned by expectation-maximisation on
the candidate pairs' comparison vectors, u held fixed. EM runs over the distinct vectors
with their counts, so a million pairs cost as much as a few hundred. A pair's match weight
is log2 of its prior odds plus, per field, log2(m / u) of its level; exact agreement on a
term-frequency field uses the value's own frequency as u, so "garcia" = "garcia" counts for
less than "zuloaga" = "zuloaga".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ingestion.identity.compare import COMPARISONS, NULL, Comparison, compare, strings

FLOOR = 1e-6


@dataclass
class Model:
    """λ (match share among candidates) and per-comparison m and u level probabilities."""

    lam: float
    m: list[np.ndarray]
    u: list[np.ndarray]
    iterations: int = 0

    def weights(self, comparisons: tuple[Comparison, ...] = COMPARISONS) -> dict[str, dict]:
        """log2(m/u) per comparison and level label, for run metadata."""
        return {
            c.name: {
                label: round(float(w), 2) for label, w in zip(c.labels, np.log2(m / u), strict=True)
            }
            for c, m, u in zip(comparisons, self.m, self.u, strict=True)
        }


def level_frequencies(gamma: np.ndarray, sizes: list[int], weights: np.ndarray) -> list:
    """Per comparison, the weighted share of each level among non-null values."""
    out = []
    for k, size in enumerate(sizes):
        column = gamma[:, k]
        present = column != NULL
        counts = np.bincount(column[present], weights=weights[present], minlength=size)
        out.append(np.maximum(counts / max(counts.sum(), FLOOR), FLOOR))
    return out


def estimate_u(
    records: pd.DataFrame,
    comparisons: tuple[Comparison, ...] = COMPARISONS,
    sample: int = 200_000,
    seed: int = 0,
) -> list[np.ndarray]:
    """u probabilities from random pairs of distinct records."""
    rng = np.random.default_rng(seed)
    n = len(records)
    left = rng.integers(0, n, size=sample)
    right = rng.integers(0, n, size=sample)
    keep = left != right
    pairs = np.column_stack([left[keep], right[keep]])
    gamma = compare(records, pairs, comparisons)
    sizes = [len(c.labels) for c in comparisons]
    return level_frequencies(gamma, sizes, np.ones(len(gamma)))


def distinct_vectors(gamma: np.ndarray, sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct comparison vectors and their counts.

    Each vector is packed into one integer (a digit per comparison, null included), so
    a million pairs reduce with a 1-D `np.unique` instead of a row-wise sort.
    """
    radix = np.array(sizes, dtype=np.int64) + 1
    weights = np.concatenate([np.cumprod(radix[::-1])[::-1][1:], [1]]).astype(np.int64)
    codes = (gamma.astype(np.int64) + 1) @ weights
    unique, counts = np.unique(codes, return_counts=True)
    digits = (unique[:, None] // weights[None, :]) % radix[None, :]
    return (digits - 1).astype(np.int8), counts


def _initial_m(sizes: list[int]) -> list[np.ndarray]:
    """Matches mostly agree: 0.9 on the strongest level, the rest falling off."""
    out = []
    for size in sizes:
        m = 0.9 * 0.3 ** np.arange(size, dtype=float)
        m[0] = 0.9
        out.append(m / m.sum())
    return out


def _log_ratio(patterns: np.ndarray, probs: list[np.ndarray]) -> np.ndarray:
    """Σ over comparisons of log(prob of the pattern's level); nulls add nothing."""
    total = np.zeros(len(patterns))
    for k, p in enumerate(probs):
        column = patterns[:, k]
        present = column != NULL
        total[present] += np.log(p[column[present]])
    return total


def estimate_m(
    gamma: np.ndarray,
    u: list[np.ndarray],
    total_pairs: int,
    max_iter: int = 100,
    tol: float = 1e-7,
) -> Model:
    """EM for m and λ, u fixed, over *all* record pairs.

    Only candidate pairs can be matches (blocking is built so that they are); the others
    count as non-matches, so λ is the share of matches among all `total_pairs`, the
    prior of a random pair. Learning λ among candidates only collapses to "everything
    matches", because blocked non-matches already agree on their blocking fields.
    """
    sizes = [len(p) for p in u]
    patterns, counts = distinct_vectors(gamma, sizes)
    share = 0.5 * len(gamma) / max(total_pairs, 1)  # no candidates: no matches to learn
    model = Model(lam=float(np.clip(share, 1e-12, 0.5)), m=_initial_m(sizes), u=u)
    log_u = _log_ratio(patterns, u)
    for iteration in range(1, max_iter + 1):
        log_m = _log_ratio(patterns, model.m)
        odds = np.log(model.lam) - np.log1p(-model.lam) + log_m - log_u
        weighted = counts / (1 + np.exp(-np.clip(odds, -700, 700)))
        m = level_frequencies(patterns, sizes, weighted)
        lam = float(np.clip(weighted.sum() / max(total_pairs, 1), 1e-12, 0.5))
        change = max(
            abs(np.log(lam / model.lam)),
            *(np.abs(a - b).max() for a, b in zip(m, model.m, strict=True)),
        )
        model = Model(lam=lam, m=m, u=u, iterations=iteration)
        if change < tol:
            break
    return model


def term_frequencies(records: pd.DataFrame, column: str) -> np.ndarray:
    """Each record's value frequency among records that have a value (0 when missing)."""
    values = pd.Series(strings(records, column))
    counts = values.map(values.value_counts())
    total = max(int((values != "").sum()), 1)
    return np.where(values != "", counts / total, 0.0)


def bayes_factors(
    records: pd.DataFrame,
    pairs: np.ndarray,
    gamma: np.ndarray,
    model: Model,
    comparisons: tuple[Comparison, ...] = COMPARISONS,
) -> np.ndarray:
    """log2(m/u) per pair and comparison, term-frequency adjusted where configured."""
    factors = np.zeros(gamma.shape, dtype=np.float64)
    for k, comparison in enumerate(comparisons):
        column = gamma[:, k]
        present = column != NULL
        table = np.log2(model.m[k] / model.u[k])
        factors[present, k] = table[column[present]]
        if comparison.term_frequency:
            exact = column == 0
            tf = term_frequencies(records, comparison.column)[pairs[exact, 0]]
            u_value = np.clip(tf, FLOOR, None)
            factors[exact, k] = np.log2(model.m[k][0] / u_value)
    return factors


def probabilities(factors: np.ndarray, model: Model) -> tuple[np.ndarray, np.ndarray]:
    """(match weight in bits, match probability) per pair."""
    weight = np.log2(model.lam / (1 - model.lam)) + factors.sum(axis=1)
    return weight, 1 / (1 + np.exp2(-np.clip(weight, -1000, 1000)))
