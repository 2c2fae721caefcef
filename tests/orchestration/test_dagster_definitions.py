"""The code location loads, and its graph is raw landing → dbt staging → marts with checks."""

from __future__ import annotations

import dagster as dg
import pytest


@pytest.fixture(scope="module")
def defs(database_url: str) -> dg.Definitions:
    """The code location, loaded once the test database is chosen (dbt parses against it)."""
    from orchestration.definitions import defs

    return defs


@pytest.fixture(scope="module")
def graph(defs: dg.Definitions) -> dg.AssetGraph:
    """The resolved asset graph of the code location."""
    return defs.resolve_asset_graph()


def _key_named(graph: dg.AssetGraph, name: str) -> dg.AssetKey:
    """The one asset key whose last part is `name`."""
    keys = [key for key in graph.get_all_asset_keys() if key.path[-1] == name]
    assert len(keys) == 1, f"{name}: {keys}"
    return keys[0]


def test_definitions_load(defs: dg.Definitions) -> None:
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("everything") is not None


def test_raw_landing_assets_are_grouped_as_raw(graph: dg.AssetGraph) -> None:
    for table in ("webhook_deliveries", "channel_events", "contacts", "commerce_events"):
        node = graph.get(dg.AssetKey(["raw", table]))
        assert node.group_name == "raw"
        assert "postgres" in node.kinds


def test_raw_events_feed_staging_which_feeds_marts(graph: dg.AssetGraph) -> None:
    staging = _key_named(graph, "stg_whatsapp__events")
    assert dg.AssetKey(["raw", "channel_events"]) in graph.get(staging).parent_keys
    assert graph.get(staging).group_name == "staging"
    marts = {_key_named(graph, name) for name in ("fct_messages", "dim_leads", "map_identity")}
    assert all(graph.get(key).group_name == "marts" for key in marts)
    ancestors = dg.AssetSelection.assets(*marts).upstream().resolve(graph)
    assert staging in ancestors
    assert dg.AssetKey(["raw", "channel_events"]) in ancestors


def test_contacts_feed_staging(graph: dg.AssetGraph) -> None:
    staging = _key_named(graph, "stg_crm__contacts")
    assert dg.AssetKey(["raw", "contacts"]) in graph.get(staging).parent_keys


def test_dbt_tests_are_asset_checks(graph: dg.AssetGraph) -> None:
    checked = {check.asset_key for check in graph.asset_check_keys}
    assert _key_named(graph, "fct_messages") in checked
    assert _key_named(graph, "dim_leads") in checked
    assert dg.AssetKey(["raw", "channel_events"]) in checked


def test_sensors_and_schedule_are_registered(defs: dg.Definitions) -> None:
    names = {sensor.name for sensor in defs.sensors or []}
    assert {"new_raw_rows_sensor", "record_run_success", "record_run_failure"} <= names
    assert defs.resolve_schedule_def("daily_full_build").job_name == "everything"


def test_commerce_landing_feeds_the_shopify_staging_models(graph: dg.AssetGraph) -> None:
    staging = dg.AssetKey(["staging", "stg_shopify__orders"])
    assert dg.AssetKey(["raw", "commerce_events"]) in graph.get(staging).parent_keys
