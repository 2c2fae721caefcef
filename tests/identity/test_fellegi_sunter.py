"""EM learns m and λ without labels; term frequencies make common names weigh less."""

from __future__ import annotations

import numpy as np

from ingestion.identity.compare import COMPARISONS, compare
from ingestion.identity.fellegi_sunter import Model, bayes_factors, estimate_m, probabilities


def _gamma(matches: int, non_matches: int, seed: int = 3) -> np.ndarray:
    """Two 2-level fields: matches agree 95% of the time, non-matches 5%."""
    rng = np.random.default_rng(seed)
    agree_m = rng.random((matches, 2)) < 0.95
    agree_u = rng.random((non_matches, 2)) < 0.05
    return np.where(np.vstack([agree_m, agree_u]), 0, 1).astype(np.int8)


def test_em_recovers_m_and_the_share_of_matches() -> None:
    u = [np.array([0.05, 0.95]), np.array([0.05, 0.95])]
    model = estimate_m(_gamma(2_000, 8_000), u, total_pairs=10_000)
    assert abs(model.m[0][0] - 0.95) < 0.03
    assert abs(model.lam - 0.2) < 0.03


def test_the_match_weight_is_the_prior_log_odds_plus_the_field_bits() -> None:
    model = Model(lam=0.01, m=[], u=[])
    weight, probability = probabilities(np.array([[6.0, 4.0], [-3.0, -2.0]]), model)
    prior = np.log2(0.01 / 0.99)
    assert np.allclose(weight, [prior + 10, prior - 5])
    assert probability[0] > 0.9 > 0.01 > probability[1]


def test_a_common_name_agreeing_counts_for_less_than_a_rare_one(features) -> None:
    rows = [{"first_key": "maria"} for _ in range(8)] + [
        {"first_key": "zuleima"},
        {"first_key": "zuleima"},
    ]
    records = features(rows)
    pairs = np.array([[0, 1], [8, 9]])
    gamma = compare(records, pairs)
    sizes = [len(c.labels) for c in COMPARISONS]
    uniform = [np.full(size, 1 / size) for size in sizes]
    model = Model(lam=0.01, m=uniform, u=uniform)
    factors = bayes_factors(records, pairs, gamma, model)
    first = [c.name for c in COMPARISONS].index("first_name")
    assert factors[1, first] > factors[0, first]
