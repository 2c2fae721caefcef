"""The campaign tests' small world: a fixed clock, rows inserted as the pipeline writes
them, and sequences built as their YAML files are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import yaml
from psycopg.types.json import Jsonb

from crm.campaigns.sequence_config import Sequence

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
SCORE_RUN = "campaign-tests"


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def insert(conn: psycopg.Connection, table: str, **row: Any) -> None:
    columns = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    values = [Jsonb(v) if isinstance(v, dict | list) else v for v in row.values()]
    conn.execute(f"insert into {table} ({columns}) values ({marks})", values)


def sequence_from(**fields: Any) -> Sequence:
    """A sequence as its YAML would give it (defaults: one nurturing step, no hold-out)."""
    base: dict[str, Any] = {
        "name": "test_seq",
        "flow": "nurturing",
        "holdout_share": 0,
        "steps": [
            {
                "delay_hours": 0,
                "text": {"es": "Hola {first_name}", "en": "Hi {first_name}"},
                "template": {"name": "nudge", "parameters": ["first_name"]},
            }
        ],
    }
    return Sequence.model_validate(yaml.safe_load(yaml.safe_dump(base | fields)))
