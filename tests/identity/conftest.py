"""Builders for the identity tests: feature frames from a few readable rows, and dbt."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from crm.database import dbt_env
from ingestion.identity.records import FEATURES


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Matching features with sensible defaults: every absent column is None."""
    filled = []
    for n, row in enumerate(rows):
        source, source_id = row.get("source", "import"), row.get("source_id", f"r{n}")
        base = {column: None for column in FEATURES}
        base |= {
            "record_id": f"{source}:{source_id}",
            "source": source,
            "source_id": source_id,
            "phone_valid": row.get("phone_key") is not None,
            "seen_at": pd.Timestamp("2026-01-01", tz="UTC") + pd.Timedelta(days=n),
        }
        filled.append(base | row)
    frame = pd.DataFrame(filled, columns=list(FEATURES)).astype(object)
    frame["seen_at"] = pd.to_datetime(frame["seen_at"], utc=True)
    return frame.astype({"phone_valid": bool})


@pytest.fixture
def features() -> Callable[[list[dict[str, Any]]], pd.DataFrame]:
    """`features(rows)`: a matching-features frame from a list of partial rows."""
    return _frame


@pytest.fixture(scope="module")
def dbt(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., None]:
    """`dbt("build", "--select", ...)` against the test database; fails the test on error."""
    project = Path(__file__).resolve().parents[2] / "dbt_project"
    tmp = tmp_path_factory.mktemp("dbt")
    paths = ["--project-dir", str(project), "--profiles-dir", str(project)]
    paths += ["--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")]
    env = {**os.environ, **dbt_env(database_url), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}

    def run(*args: str) -> None:
        command = [str(Path(sys.executable).with_name("dbt")), *args, *paths]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout[-4000:]

    return run
