"""Blocking: candidates share a key, in either name order, never from giant groups."""

from __future__ import annotations

import numpy as np

from ingestion.identity.blocking import candidate_pairs, pairs_within_groups


def _as_set(pairs: np.ndarray) -> set[tuple[int, int]]:
    return {(int(i), int(j)) for i, j in pairs}


def test_pairs_within_groups_pairs_every_member_of_each_group_once() -> None:
    codes = np.array([0, 1, 0, -1, 0, 1, 2])
    assert _as_set(pairs_within_groups(codes)) == {(0, 2), (0, 4), (2, 4), (1, 5)}


def test_groups_larger_than_the_cap_give_no_pairs() -> None:
    codes = np.array([0] * 5 + [1] * 2)
    assert _as_set(pairs_within_groups(codes, max_group=4)) == {(5, 6)}


def test_swapped_first_and_last_names_are_candidates(features) -> None:
    records = features(
        [
            {"first_key": "juan", "last_key": "perez"},
            {"first_key": "perez", "last_key": "juan"},
            {"first_key": "ana", "last_key": "lopez"},
        ]
    )
    assert _as_set(candidate_pairs(records)) == {(0, 1)}


def test_a_shared_phone_key_makes_a_candidate_even_with_different_names(features) -> None:
    records = features(
        [
            {"first_key": "juan", "last_key": "perez", "phone_key": "50761234567"},
            {"first_key": "johnny", "last_key": "p", "phone_key": "50761234567"},
        ]
    )
    assert _as_set(candidate_pairs(records)) == {(0, 1)}


def test_records_with_nothing_in_common_are_not_candidates(features) -> None:
    records = features(
        [
            {"first_key": "juan", "last_key": "perez", "dob": "1990-01-02"},
            {"first_key": "maria", "last_key": "lopez", "dob": "1985-03-04"},
        ]
    )
    assert len(candidate_pairs(records)) == 0
