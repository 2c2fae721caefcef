"""Fixtures for the Dagster tests: a temporary DAGSTER_HOME and real Meta deliveries landed.

Rows are landed through `ingestion.landing`, the same write the API does, so the dbt
staging models see exactly what production sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest

from ingestion.landing import land, prepare_delivery

TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z


def whatsapp_delivery(n: int) -> dict:
    """A WhatsApp Cloud API text message from one person."""
    wa_id = f"5076100{n:04d}"
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": "PNID1"},
            "contacts": [{"profile": {"name": f"Juan {n}"}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": f"wamid.TEST{n}", "type": "text",
                          "timestamp": str(TIMESTAMP + n), "text": {"body": "Hola, precio?"}}],
        }}]}],
    }  # fmt: skip


def messaging_delivery(obj: str, n: int) -> dict:
    """An Instagram (`instagram`) or Messenger (`page`) text message from one person."""
    return {
        "object": obj,
        "entry": [{"id": "ACC1", "time": (TIMESTAMP + n) * 1000, "messaging": [{
            "sender": {"id": f"{obj}-user-{n}"}, "recipient": {"id": "ACC1"},
            "timestamp": (TIMESTAMP + n) * 1000,
            "message": {"mid": f"mid.{obj}.{n}", "text": "Hi, is it in stock?"},
        }]}],
    }  # fmt: skip


@pytest.fixture
def land_messages(db: str) -> Callable[[int], None]:
    """Land `count` messages per channel in raw (ids continue between calls)."""
    landed = {"n": 0}

    def _land(count: int) -> None:
        bodies = []
        for _ in range(count):
            landed["n"] += 1
            n = landed["n"]
            bodies += [whatsapp_delivery(n), messaging_delivery("instagram", n),
                       messaging_delivery("page", n)]  # fmt: skip
        land(db, [prepare_delivery(json.dumps(body).encode()) for body in bodies])

    return _land


@pytest.fixture
def dagster_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary DAGSTER_HOME, so runs are stored (and inspectable) but thrown away."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    yield home


@pytest.fixture
def instance(dagster_home: Path) -> Iterator[dg.DagsterInstance]:
    """The Dagster instance under the temporary DAGSTER_HOME."""
    with dg.DagsterInstance.get() as dagster_instance:
        yield dagster_instance
