"""`POST /intents/detect`, `POST /sentiment/analyze` and the models in `/health`, over HTTP.

The test app has an empty MLflow store (its own `CRM_HOME`), so it serves the models it
trains on the corpus at first use: the path a fresh install takes.
"""

from __future__ import annotations

import httpx
import pytest

DETECT, ANALYZE = "/api/v1/intents/detect", "/api/v1/sentiment/analyze"


@pytest.fixture
def warm_client(api_client: httpx.Client) -> httpx.Client:
    """The client, after one request has let the app train its stand-in models."""
    api_client.post(DETECT, json={"message": "hola"}, timeout=180).raise_for_status()
    api_client.post(ANALYZE, json={"message": "hola"}, timeout=180).raise_for_status()
    return api_client


def test_detect_returns_the_intent_its_confidence_and_the_model(warm_client) -> None:
    answer = warm_client.post(DETECT, json={"message": "q precio tiene"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["intent"] == "price_inquiry" and 0.5 < body["confidence"] <= 1
    assert body["model"] == {"name": "crm-intent", "version": None}


def test_analyze_returns_a_score_and_label(warm_client) -> None:
    negative = warm_client.post(ANALYZE, json={"message": "el producto llegó roto 😡"}).json()
    positive = warm_client.post(ANALYZE, json={"message": "me encantó, gracias!!"}).json()
    assert negative["label"] == "negative" and -1 <= negative["score"] < -0.3
    assert positive["label"] == "positive" and 0.3 < positive["score"] <= 1
    assert positive["model"]["name"] == "crm-sentiment"


@pytest.mark.parametrize("path", [DETECT, ANALYZE])
@pytest.mark.parametrize("body", [{"message": ""}, {"message": "   "}, {"message": "x" * 4001}, {}])
def test_empty_oversized_or_missing_message_is_422_naming_the_field(
    api_client: httpx.Client, path: str, body: dict
) -> None:
    answer = api_client.post(path, json=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "message"


@pytest.mark.parametrize("path", [DETECT, ANALYZE])
def test_text_endpoints_need_an_api_key(api: str, path: str) -> None:
    assert httpx.post(api + path, json={"message": "hola"}).status_code == 401


def test_health_reports_the_models_served(warm_client) -> None:
    models = warm_client.get("/health").json()["models"]
    assert {"name": "crm-intent", "version": None} in models
    assert {"name": "crm-sentiment", "version": None} in models
    assert {"name": "crm-lead-score", "version": None} in models  # no champion in its store
    assert {"name": "crm-close-probability", "version": None} in models
