"""A small demo world landed straight into `raw` (and synthetic training rows), for the
lead-score and close-probability tests.

Landing goes through the same parsing and landing functions as the webhooks (no HTTP, to
keep the tests quick); dbt runs through tests/dbt's runner against the test database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest

from crm.demo.commerce import build_commerce
from crm.demo.traffic import build_traffic
from crm.demo.world import World, build_world
from ingestion.commerce.landing import land_events
from ingestion.commerce.shopify import prepare_event
from ingestion.landing import land, prepare_delivery

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))
from dbt_runner import run_dbt

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

__all__ = ["NOW", "built_world", "land_world", "rows", "run_dbt", "synthetic_rows"]


def land_world(url: str, people: int = 120, seed: int = 11) -> World:
    """Build a seeded world and land its Meta deliveries and Shopify events in `raw`."""
    world = build_world(seed=seed, people=people, now=NOW)
    land(url, [prepare_delivery(d.body) for d in build_traffic(world).originals])
    events = [
        prepare_event(d.body, d.topic, d.webhook_id, "acme-demo.myshopify.com")
        for d in build_commerce(world).originals
    ]
    land_events(url, events)
    return world


def built_world(select: str, *, truncate: tuple[str, ...] = (), **world: int):
    """A module-scoped fixture: `raw` (and the `truncate` tables) emptied, a world landed,
    `dbt build` of `select` (cautious) passed; it gives (database url, dbt's temp folder)."""

    @pytest.fixture(scope="module")
    def built(
        database_url: str,
        tmp_path_factory: pytest.TempPathFactory,
        empty_landing: Callable[[psycopg.Connection], None],
    ) -> tuple[str, Path]:
        with psycopg.connect(database_url, autocommit=True) as conn:
            empty_landing(conn)
            for table in truncate:
                conn.execute(f"truncate {table}")
        land_world(database_url, **world)
        tmp = tmp_path_factory.mktemp("dbt-ml")
        build = run_dbt(
            database_url, tmp, "build", "--select", select, "--indirect-selection", "cautious"
        )
        assert build.returncode == 0, build.stdout[-3000:]
        return database_url, tmp

    return built


def rows(url: str, query: str) -> list[tuple]:
    """The rows of one query against the test database."""
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


def synthetic_rows(
    columns: tuple[str, ...], label: str, n: int, seed: int = 0, signal: bool = True
) -> pd.DataFrame:
    """n training rows over 20 daily cut-offs whose label rises with the first column and
    falls with the second (or, without signal, a flat 20 %)."""
    rng = np.random.default_rng(seed)
    rows = pd.DataFrame({c: rng.poisson(1.0, n).astype(float) for c in columns})
    rows[columns[0]] = rng.poisson(2.0, n)
    rows[columns[1]] = rng.uniform(0, 30, n)
    logit = -3 + 0.9 * rows[columns[0]] - 0.15 * rows[columns[1]]
    chance = 1 / (1 + np.exp(-logit)) if signal else np.full(n, 0.2)
    rows[label] = (rng.uniform(size=n) < chance).astype(int)
    rows["lead_id"] = [f"lead-{i}" for i in range(n)]
    days = rng.integers(0, 20, n)
    rows["cutoff_at"] = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(days, unit="D")
    return rows
