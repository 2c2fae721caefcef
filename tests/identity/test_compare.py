"""Comparison levels on the hard cases: double surnames, swapped names, dates, phones."""

from __future__ import annotations

import numpy as np

from ingestion.identity.compare import COMPARISONS, NULL, compare

FIELD = {comparison.name: k for k, comparison in enumerate(COMPARISONS)}


def _levels(features, left: dict, right: dict) -> dict[str, int]:
    gamma = compare(features([left, right]), np.array([[0, 1]]))[0]
    return {name: int(gamma[k]) for name, k in FIELD.items()}


def test_a_dropped_second_surname_still_shares_a_surname(features) -> None:
    levels = _levels(
        features,
        {"first_key": "maria", "last_key": "garcia", "last2_key": "lopez"},
        {"first_key": "maria", "last_key": "lopez"},
    )
    assert levels["first_name"] == 0
    assert levels["surname"] == 1  # "one surname shared or swapped"


def test_a_typo_in_a_name_is_a_near_match_not_a_disagreement(features) -> None:
    levels = _levels(features, {"first_key": "jonathan"}, {"first_key": "jonatan"})
    assert levels["first_name"] == 1


def test_swapped_names_count_as_near_matches_on_both_name_fields(features) -> None:
    levels = _levels(
        features,
        {"first_key": "ewan", "last_key": "brock"},
        {"first_key": "brock", "last_key": "ewan"},
    )
    assert levels["first_name"] == 1
    assert levels["surname"] == 1


def test_day_and_month_swapped_is_one_level_below_exact(features) -> None:
    levels = _levels(features, {"dob": "1990-04-03"}, {"dob": "1990-03-04"})
    assert levels["date_of_birth"] == 1


def test_a_missing_value_on_either_side_is_null_not_a_disagreement(features) -> None:
    levels = _levels(features, {"email_key": "ana@x.com"}, {"email_key": None})
    assert levels["email"] == NULL


def test_a_phone_without_its_country_code_matches_on_the_last_digits(features) -> None:
    levels = _levels(features, {"phone_key": "50761234567"}, {"phone_key": "61234567"})
    assert levels["phone"] == 1


def test_namesakes_mailboxes_that_differ_by_digits_are_different(features) -> None:
    levels = _levels(
        features, {"email_key": "ana.diaz12@gmail.com"}, {"email_key": "ana.diaz71@gmail.com"}
    )
    assert levels["email"] == 2
