"""Fixtures for the ML tests: a real MLflow store (sqlite + artifacts) in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crm.settings import get_settings


@pytest.fixture
def mlflow_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`MLFLOW_TRACKING_URI` pointed at an empty sqlite store under `tmp_path`."""
    uri = f"sqlite:///{tmp_path / 'mlflow' / 'mlflow.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    get_settings.cache_clear()
    yield uri
    get_settings.cache_clear()
