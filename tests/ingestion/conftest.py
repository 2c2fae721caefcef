"""Fixtures for ingestion tests: the sample Meta payloads under tests/fixtures/meta."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "meta"


@pytest.fixture
def payload() -> Callable[[str], dict[str, Any]]:
    """Load a sample delivery by name, e.g. payload("whatsapp_text")."""
    return lambda name: json.loads((FIXTURES / f"{name}.json").read_text())
