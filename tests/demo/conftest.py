"""Fixtures for the demo tests: a small fixed world, and the real API served on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from crm.demo.server import free_port
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
def api_url(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`api.main.create_app()` under uvicorn in a thread, on a free port, on the test DB."""
    import uvicorn

    from api.main import create_app
    from crm.settings import get_settings

    monkeypatch.setenv("CRM_BENCH_ENDPOINT", "1")  # the bench's baseline endpoint too
    get_settings.cache_clear()

    port = free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)
    get_settings.cache_clear()
