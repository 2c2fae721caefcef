"""Run dbt against a test database and read back what it built (used by tests/dbt)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg

from crm.database import dbt_env

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"


def run_dbt(url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the venv's dbt against `url`, with target and logs under `tmp`."""
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(tmp / "target"),
        "--log-path",
        str(tmp / "logs"),
    ]
    env = {**os.environ, **dbt_env(url), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@dataclass
class Built:
    """A finished `dbt build` over known rows, and a way to read what it built."""

    url: str
    build: subprocess.CompletedProcess[str]
    tmp: Path

    def rows(self, query: str) -> list[tuple]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(query).fetchall()

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Another dbt command against the same database and target folder."""
        return run_dbt(self.url, self.tmp, *args)
