"""Fixtures for the demo tests: a small fixed world, and the real API served on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm.demo.traffic import Traffic, build_traffic
from crm.demo.world import World, build_world

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def small_world() -> World:
    """Forty people: enough for every channel and event kind, fast to send."""
    return build_world(seed=3, people=40, now=NOW)


@pytest.fixture(scope="session")
def small_traffic(small_world: World) -> Traffic:
    return build_traffic(small_world, batch_share=0.25, redelivery_share=0.1)


@pytest.fixture
def api_url(api: str, db: str) -> str:
    """The shared test server (tests/conftest.py), with `raw` and `app` emptied first."""
    return api


@pytest.fixture
def meta_secret(api_env: dict[str, str]) -> str:
    """The Meta app secret that server verifies with."""
    return api_env["META_APP_SECRET"]


@pytest.fixture
def commerce_secret(api_env: dict[str, str]) -> str:
    """The commerce webhook secret that server verifies with."""
    return api_env["COMMERCE_WEBHOOK_SECRET"]
