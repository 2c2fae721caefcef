"""Replace the contents of an `ml` output table with a DataFrame, in one transaction.

The hygiene and enrichment assets recompute their tables whole on every run, so a run is
idempotent: readers see the previous contents until the new ones commit, never a half-
written or empty table. Rows go in through COPY (lists and dicts as jsonb text), which
keeps a million identities to seconds.
"""

from __future__ import annotations

import json
from typing import Any, cast

import numpy as np
import pandas as pd
import psycopg
import sqlalchemy as sa


def _cell(value: Any) -> Any:
    """What COPY gets for one value: JSON text for lists and dicts, None for missing,
    Python scalars for numpy ones (psycopg adapts no numpy types)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def replace_table(engine: sa.Engine, table: str, frame: pd.DataFrame) -> int:
    """Delete every row of `ml.<table>` and COPY `frame` in; returns the rows written."""
    columns = ", ".join(f'"{column}"' for column in frame.columns)
    with engine.begin() as connection:
        connection.execute(sa.text(f"delete from ml.{table}"))
        driver = cast(psycopg.Connection, connection.connection.driver_connection)
        with driver.cursor().copy(f"copy ml.{table} ({columns}) from stdin") as copy:
            for row in frame.itertuples(index=False, name=None):
                copy.write_row([_cell(value) for value in row])
    return len(frame)
