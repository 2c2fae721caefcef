"""Clustering: deterministic keys link, the chaining guard holds, decisions override."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ingestion.identity.clustering import chained_leads, cluster
from ingestion.identity.deterministic import deterministic_edges, key_stars


def _edges(*pairs: tuple[int, int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "i": [p[0] for p in pairs],
            "j": [p[1] for p in pairs],
            "rule": [p[2] for p in pairs],
            "probability": 1.0,
        }
    )


def _objects(*values) -> np.ndarray:
    return np.array(values, dtype=object)


def test_key_stars_link_each_group_to_its_first_member_only() -> None:
    stars = key_stars(pd.Series(["a", None, "b", "a", "a", "b", "c"]))
    assert {tuple(map(int, s)) for s in stars} == {(0, 3), (0, 4), (2, 5)}


def test_a_key_shared_by_too_many_records_links_nobody() -> None:
    assert len(key_stars(pd.Series(["info@shop.com"] * 5), max_group=4)) == 0


def test_only_valid_phones_link_deterministically(features) -> None:
    records = features(
        [
            {"phone_key": "50761234567"},
            {"phone_key": "50761234567"},
            {"phone_key": "123"},
            {"phone_key": "123"},
        ]
    )
    records.loc[[2, 3], "phone_valid"] = False
    edges = deterministic_edges(records)
    assert list(zip(edges["i"], edges["j"], edges["rule"], strict=True)) == [(0, 1, "same_phone")]


def test_two_people_never_chain_through_a_shared_email() -> None:
    # A (phone 1, Juan Perez) -email- B (no phone) -email- C (phone 2, Maria Lopez)
    edges = _edges((0, 1, "same_email"), (1, 2, "same_email"))
    phones = _objects("111", None, "222")
    names = _objects("juan perez", "juan perez", "maria lopez")
    labels = cluster(3, edges, phones, names)
    assert labels[0] == labels[1] != labels[2]


def test_two_phones_with_the_same_name_may_merge() -> None:
    edges = _edges((0, 1, "same_email"), (1, 2, "same_email"))
    phones = _objects("111", None, "222")
    names = _objects("juan perez", "juan perez", "juan peres")
    assert len(set(cluster(3, edges, phones, names))) == 1


def test_a_rejected_pair_stays_apart_whatever_links_them() -> None:
    edges = _edges((0, 1, "same_email"), (1, 2, "same_phone"))
    labels = cluster(
        3, edges, _objects(None, "1", "1"), _objects("a", "b", "c"), np.array([[0, 2]])
    )
    assert labels[0] != labels[2]


def test_an_accepted_pair_merges_even_across_the_phone_guard() -> None:
    edges = _edges((0, 1, "human_accept"))
    labels = cluster(2, edges, _objects("111", "222"), _objects("juan perez", "maria lopez"))
    assert labels[0] == labels[1]


def test_chained_leads_finds_a_lead_holding_two_phones_and_two_unlike_names() -> None:
    links = pd.DataFrame(
        {
            "lead_id": ["L1", "L1", "L2", "L2", "L3", "L3"],
            "phone_key": ["111", "222", "333", "444", "555", "666"],
            "name_key": ["juan perez", "maria lopez", "ana diaz", "ana diaz", "x", "y"],
            "match_rule": ["same_email", "same_email", "same_email", "probabilistic",
                           "human_accept", "human_accept"],
        }
    )  # fmt: skip
    assert chained_leads(links) == ["L1"]
