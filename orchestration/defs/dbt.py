"""dbt models as Dagster assets: staging, intermediate and marts, with dbt tests as checks.

One `@dbt_assets` over the whole project runs `dbt build`; the translator hangs the dbt
sources on the raw landing assets (source `raw.channel_events` → `raw/channel_events`) so
the graph reads raw → staging → intermediate → marts, and groups models by their folder.
"""

from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.defs.resources import CrmDatabase, dbt_project, prepare_manifest

LAYERS = ("staging", "intermediate", "marts")


class CrmDbtTranslator(DagsterDbtTranslator):
    """Sources → raw landing keys; models grouped by layer (their folder under models/)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """`raw` sources map to the landing assets; models keep dbt's schema/name keys."""
        props = dbt_resource_props
        if props["resource_type"] == "source" and props.get("source_name") == "raw":
            return dg.AssetKey(["raw", props.get("identifier") or props["name"]])
        return super().get_asset_key(props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """The model's layer: `models/staging/...` → `staging`, and so on."""
        fqn = dbt_resource_props.get("fqn", [])
        if len(fqn) > 2 and fqn[1] in LAYERS:
            return fqn[1]
        resource_type = dbt_resource_props["resource_type"]
        return super().get_group_name(dbt_resource_props) or f"{resource_type}s"


translator = CrmDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

prepare_manifest(dbt_project)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="crm_dbt_models",
)
def crm_dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, database: CrmDatabase
) -> Iterator[Any]:
    """`dbt build`: every model in dependency order, each followed by its tests."""
    with database.dbt_connection():
        yield from dbt.cli(["build"], context=context).stream().fetch_row_counts()
