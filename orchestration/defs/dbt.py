"""dbt models as Dagster assets: staging, intermediate and marts, with dbt tests as checks.

One `@dbt_assets` over the whole project runs `dbt build`; the translator hangs the dbt
sources on the Python assets that write them (source `raw.channel_events` →
`raw/channel_events`, `ml.clean_identities` → `ml/clean_identities`) so the graph reads
raw → staging → Python hygiene → intermediate → marts, and groups models by their folder.
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

from orchestration.defs.resources import (
    CrmDatabase,
    dbt_project,
    prepare_manifest,
    temporary_env,
)

LAYERS = ("staging", "intermediate", "marts")
PYTHON_SCHEMAS = ("raw", "ml")  # written by Python assets (landing, hygiene, ML), not by dbt
# Python assets between dbt models split a run into several `dbt build` steps. dbt's default
# (`eager`) would run a test on two models (a relationships test) in the step that builds
# the first, before the second exists; `buildable` runs it in the step of the later one.
INDIRECT_SELECTION = {"DBT_INDIRECT_SELECTION": "buildable"}


class CrmDbtTranslator(DagsterDbtTranslator):
    """Sources → the Python assets that write them; models grouped by layer (their folder)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        """Sources in `raw` / `ml` map to the Python assets that write them ([schema, table]:
        raw/contacts, ml/clean_identities ...); models keep dbt's schema/name keys."""
        props = dbt_resource_props
        if props["resource_type"] == "source" and props.get("schema") in PYTHON_SCHEMAS:
            return dg.AssetKey([props["schema"], props.get("identifier") or props["name"]])
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
    with database.dbt_connection(), temporary_env(INDIRECT_SELECTION):
        yield from dbt.cli(["build"], context=context).stream().fetch_row_counts()
