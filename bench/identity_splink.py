"""Splink 5 on the benchmark's data, DuckDB backend, with its documented FEBRL-style setup.

Splink's FEBRL examples compare given name and surname with `NameComparison`, the date
of birth with `DateOfBirthComparison`, street number and postcode exactly; they estimate
the prior from deterministic rules, u by random sampling and m by EM on a few blocking
rules, then cluster at a match-probability threshold. We do the same (without
`soc_sec_id`), and give it the same threshold we link at. On the CRM set Splink sees our
cleaned matching features, so the comparison is of the matchers, not of the cleaning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


@dataclass(frozen=True)
class SplinkSetup:
    """What Splink is told: comparisons, prediction and training blocking rules."""

    comparisons: list
    blocking: list
    deterministic: list
    training: list


def febrl_setup() -> SplinkSetup:
    """Splink's FEBRL example settings, soc_sec_id left out."""
    return SplinkSetup(
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison(
                "date_of_birth", input_is_string=True, datetime_format="%Y%m%d"
            ),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
        ],
        blocking=[
            block_on("given_name", "surname"),
            block_on("surname", "date_of_birth"),
            block_on("given_name", "date_of_birth"),
            block_on("postcode", "street_number"),
            block_on("postcode", "address_1"),
            block_on("suburb", "date_of_birth"),
            block_on("substr(given_name, 1, 3)", "substr(surname, 1, 3)"),
            block_on("given_name", "postcode"),
            block_on("surname", "postcode"),
        ],
        deterministic=[block_on("given_name", "surname", "date_of_birth")],
        training=[
            block_on("date_of_birth"),
            block_on("postcode"),
            block_on("given_name", "surname"),
        ],
    )


def crm_setup() -> SplinkSetup:
    """The same style over our cleaned features (names, dob, address, phone and e-mail keys)."""
    return SplinkSetup(
        comparisons=[
            cl.NameComparison("first_key"),
            cl.NameComparison("last_key"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
            cl.JaroWinklerAtThresholds("street_key", [0.9, 0.7]),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("city_key", [0.9]),
            cl.ExactMatch("phone_key"),
            cl.EmailComparison("email_key"),
            cl.ExactMatch("country"),
        ],
        blocking=[
            block_on("phone_key"),
            block_on("email_key"),
            block_on("first_key", "last_key"),
            block_on("last_key", "dob"),
            block_on("first_key", "dob"),
            block_on("street_key", "postcode"),
            block_on("substr(first_key, 1, 3)", "substr(last_key, 1, 3)"),
            block_on("last_key", "postcode"),
        ],
        deterministic=[block_on("phone_key"), block_on("email_key")],
        training=[block_on("dob"), block_on("phone_key"), block_on("first_key", "last_key")],
    )


def splink_clusters(
    frame: pd.DataFrame, setup: SplinkSetup, threshold: float, seed: int = 1
) -> pd.Series:
    """Splink's cluster id per row of `frame` (which needs a `unique_id` column)."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=setup.comparisons,
        blocking_rules_to_generate_predictions=setup.blocking,
    )
    linker = Linker(db_api.register(frame), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(setup.deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    for rule in setup.training:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold
    ).as_pandas_dataframe()
    labels = clusters.set_index("unique_id")["cluster_id"]
    return frame["unique_id"].map(labels)
