"""Fixtures for the content tests: the demo knowledge base loaded, inbound Meta messages
landed at chosen times, and dbt run over them (the real project, as a subprocess)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psycopg
import pytest

from crm.conversation.knowledge import import_knowledge
from ingestion.landing import land, prepare_delivery

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dbt"))
from dbt_runner import run_dbt

KNOWLEDGE = Path(__file__).resolve().parents[2] / "crm" / "demo" / "knowledge"


@pytest.fixture
def knowledge(db: str) -> str:
    """The demo shop's knowledge base (products in es and en) in `app.knowledge_passages`."""
    with psycopg.connect(db) as conn:
        import_knowledge(conn, KNOWLEDGE)
    return db


def inbound_delivery(obj: str, n: int, at: datetime) -> dict:
    """An Instagram (`instagram`) or Messenger (`page`) text message from one person."""
    ms = int(at.timestamp() * 1000)
    return {
        "object": obj,
        "entry": [{"id": "ACC1", "time": ms, "messaging": [{
            "sender": {"id": f"{obj}-user-{n % 7}"}, "recipient": {"id": "ACC1"},
            "timestamp": ms, "message": {"mid": f"mid.{obj}.{n}", "text": "Hola, precio?"},
        }]}],
    }  # fmt: skip


@pytest.fixture
def land_inbound(db: str) -> Callable[[str, list[datetime]], None]:
    """Land one inbound message per moment on `instagram` or `page` (Messenger)."""
    counter = {"n": 0}

    def _land(obj: str, moments: list[datetime]) -> None:
        bodies = []
        for at in moments:
            counter["n"] += 1
            bodies.append(inbound_delivery(obj, counter["n"], at))
        land(db, [prepare_delivery(json.dumps(body).encode()) for body in bodies])

    return _land


@pytest.fixture
def build_messages(db: str, tmp_path: Path) -> Callable[[], None]:
    """`dbt run` up to marts.fct_messages over what was landed."""

    def _build() -> None:
        result = run_dbt(db, tmp_path, "run", "--select", "+fct_messages")
        assert result.returncode == 0, result.stdout[-3000:]

    return _build
