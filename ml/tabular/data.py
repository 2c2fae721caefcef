"""Reading dbt's ML tables and vars from Python, for every tabular model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import yaml

from crm.settings import PROJECT_ROOT


def read_table(engine: sa.Engine, table: str) -> pd.DataFrame:
    """A whole dbt table (an empty frame when dbt has not built it yet)."""
    schema, name = table.split(".")
    if not sa.inspect(engine).has_table(name, schema=schema):
        return pd.DataFrame()
    with engine.connect() as conn:
        return pd.read_sql_table(name, conn, schema=schema)


def dbt_var(name: str, project: Path = PROJECT_ROOT / "dbt_project") -> int:
    """A var from dbt_project.yml (horizons live there once, for SQL and Python alike)."""
    config = yaml.safe_load((project / "dbt_project.yml").read_text())
    return int(config["vars"][name])
