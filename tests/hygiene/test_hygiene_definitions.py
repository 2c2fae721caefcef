"""Where hygiene and enrichment sit in the Dagster graph, and the checks on their figures."""

from __future__ import annotations

import dagster as dg
import pytest

CLEAN = dg.AssetKey(["ml", "clean_identities"])
ENRICHED = dg.AssetKey(["ml", "enriched_identities"])


@pytest.fixture(scope="module")
def graph(database_url: str) -> dg.AssetGraph:
    from orchestration.definitions import defs

    return defs.resolve_asset_graph()


def test_hygiene_reads_dbt_identities_and_feeds_the_quality_mart(graph: dg.AssetGraph) -> None:
    node = graph.get(CLEAN)
    assert node.group_name == "hygiene"
    assert {
        dg.AssetKey(["intermediate", "int_identities"]),
        dg.AssetKey(["staging", "stg_crm__contacts"]),
    } <= node.parent_keys
    downstream = dg.AssetSelection.assets(CLEAN).downstream().resolve(graph)
    assert dg.AssetKey(["marts", "fct_data_quality"]) in downstream


def test_enrichment_feeds_the_lead_enrichment_mart(graph: dg.AssetGraph) -> None:
    assert CLEAN in graph.get(ENRICHED).parent_keys
    downstream = dg.AssetSelection.assets(ENRICHED).downstream().resolve(graph)
    assert dg.AssetKey(["marts", "dim_lead_enrichment"]) in downstream


def test_quality_checks_target_the_quality_mart(graph: dg.AssetGraph) -> None:
    names = {
        key.name
        for key in graph.asset_check_keys
        if key.asset_key == dg.AssetKey(["marts", "fct_data_quality"])
    }
    assert {
        "valid_phone_share_above_floor",
        "valid_email_share_above_floor",
        "duplicate_share_below_ceiling",
    } <= names
