"""`POST /api/v1/predictions/close-probability` over real HTTP, off a registered champion.

The module's app gets its own MLflow store (a temp folder) holding a close-probability
champion trained on synthetic deals whose closing rises with the conversation's messages.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lead_world import synthetic_rows

from crm.settings import get_settings
from ml.close_probability.features import LABEL, SPEC
from ml.close_probability.train import task
from ml.tabular.training import train_and_register


@pytest.fixture(scope="module")
def api_env(
    tmp_path_factory: pytest.TempPathFactory, api_env: dict[str, str]
) -> Iterator[dict[str, str]]:
    """The usual app settings plus an MLflow store with a `crm-close-probability` champion."""
    uri = f"sqlite:///{tmp_path_factory.mktemp('mlflow-close') / 'mlflow.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        get_settings.cache_clear()
        rows = synthetic_rows(SPEC.columns, LABEL, 2000)
        promoted = train_and_register(task(get_settings()), rows, margin=0.0)
        assert promoted.promoted, promoted.reason
    get_settings.cache_clear()
    yield {**api_env, "MLFLOW_TRACKING_URI": uri}


def deal(messages: float, inbound: float) -> dict[str, float]:
    """A deal by hand; the synthetic champion learnt: more messages up, more inbound down."""
    return {"conversation_messages": messages, "conversation_inbound": inbound}


def test_features_in_the_body_get_a_calibrated_probability_and_reasons(client: httpx.Client):
    busy = client.post("/api/v1/predictions/close-probability", json={"features": deal(6, 1)})
    quiet = client.post("/api/v1/predictions/close-probability", json={"features": deal(0, 25)})
    assert busy.status_code == quiet.status_code == 200, busy.text
    assert 0 <= quiet.json()["close_probability"] < busy.json()["close_probability"] <= 1
    assert busy.json()["model_version"] == "1"
    assert busy.json()["reasons"][0]["feature"] in SPEC.columns


def test_an_unknown_feature_is_a_422_naming_the_field(client: httpx.Client):
    reply = client.post("/api/v1/predictions/close-probability", json={"features": {"vibes": 1}})
    assert reply.status_code == 422 and reply.json()["error"]["field"] == "features"


def test_a_conversation_that_is_not_open_is_a_404_naming_the_field(client: httpx.Client):
    body = {"conversation_id": "no-such-conversation"}
    reply = client.post("/api/v1/predictions/close-probability", json=body)
    assert reply.status_code == 404 and reply.json()["error"]["field"] == "conversation_id"


def test_nothing_to_score_is_a_422(client: httpx.Client):
    reply = client.post("/api/v1/predictions/close-probability", json={})
    assert reply.status_code == 422


def test_health_names_the_champion_version_it_serves(client: httpx.Client):
    client.post("/api/v1/predictions/close-probability", json={"features": deal(1, 1)})
    models = client.get("/health").json()["models"]
    assert {"name": "crm-close-probability", "version": "1"} in models
