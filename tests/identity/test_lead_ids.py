"""Stable lead ids: re-runs keep ids, merges keep the oldest, retired ids map to live ones."""

from __future__ import annotations

import pandas as pd

from ingestion.identity.lead_ids import HISTORY_COLUMNS, assign_lead_ids, first_lead_id

NO_HISTORY = pd.DataFrame(columns=HISTORY_COLUMNS)


def _run(record_ids: list[str], clusters: list[int], previous=None, history=NO_HISTORY):
    seen = pd.Series(
        [pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=int(r[1:])) for r in record_ids]
    )
    before = previous if previous is not None else pd.DataFrame(columns=["record_id", "lead_id"])
    return assign_lead_ids(pd.Series(record_ids), seen, clusters, before, history)


def _links(record_ids: list[str], assignment) -> pd.DataFrame:
    return pd.DataFrame({"record_id": record_ids, "lead_id": assignment.lead_ids.to_numpy()})


def test_a_new_lead_is_named_after_its_oldest_record() -> None:
    first = _run(["r2", "r1"], [0, 0])
    assert set(first.lead_ids) == {first_lead_id("r1")}


def test_rerunning_on_more_data_keeps_every_existing_id() -> None:
    first = _run(["r1", "r2", "r3"], [0, 1, 2])
    second = _run(["r1", "r2", "r3", "r4"], [0, 1, 2, 3], _links(["r1", "r2", "r3"], first))
    assert list(second.lead_ids[:3]) == list(first.lead_ids)
    assert second.merged == 0 and second.new_leads == 1


def test_a_merge_keeps_the_oldest_leads_id_and_retires_the_other() -> None:
    first = _run(["r1", "r2"], [0, 1])
    second = _run(["r1", "r2"], [0, 0], _links(["r1", "r2"], first))
    assert set(second.lead_ids) == {first.lead_ids[0]}
    assert second.history.to_dict("records") == [
        {"retired_lead_id": first.lead_ids[1], "surviving_lead_id": first.lead_ids[0]}
    ]


def test_retired_ids_always_point_at_a_live_id_after_chained_merges() -> None:
    first = _run(["r1", "r2", "r3"], [0, 1, 2])
    second = _run(["r1", "r2", "r3"], [1, 1, 0], _links(["r1", "r2", "r3"], first))
    third = _run(["r1", "r2", "r3"], [0, 0, 0], _links(["r1", "r2", "r3"], second), second.history)
    live = set(third.lead_ids)
    assert live == {first.lead_ids[0]}
    assert set(third.history["surviving_lead_id"]) <= live
    assert set(third.history["retired_lead_id"]) == {first.lead_ids[1], first.lead_ids[2]}


def test_a_split_lead_keeps_its_id_on_the_larger_part_and_names_the_other_anew() -> None:
    first = _run(["r1", "r2", "r3"], [0, 0, 0])
    second = _run(["r1", "r2", "r3"], [0, 1, 1], _links(["r1", "r2", "r3"], first))
    kept = first.lead_ids[0]
    assert list(second.lead_ids[1:]) == [kept, kept]
    assert second.lead_ids[0] != kept
    assert second.history.empty
