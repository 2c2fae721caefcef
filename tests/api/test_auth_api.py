"""Internal endpoints need an API key; webhooks, `/`, `/health` and `/docs` do not."""

import httpx
import pytest

RECORD = {"record": {"email": "ana@example.com"}}
CLEAN = "/api/v1/data/clean"


@pytest.fixture
def anonymous(api: str):
    with httpx.Client(base_url=api, timeout=10) as http:
        yield http


def test_an_internal_endpoint_without_a_key_is_401_naming_the_header(anonymous):
    response = anonymous.post(CLEAN, json=RECORD)
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "missing_api_key",
        "message": "send an API key in X-API-Key",
        "field": "X-API-Key",
    }


def test_a_wrong_key_is_401(anonymous):
    response = anonymous.post(CLEAN, json=RECORD, headers={"X-API-Key": "not-a-key"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"


@pytest.mark.parametrize(
    "headers",
    [{"X-API-Key": "second-test-key"}, {"Authorization": "Bearer test-api-key"}],
    ids=["second-configured-key", "bearer"],
)
def test_any_configured_key_works_in_either_header(anonymous, headers):
    response = anonymous.post(CLEAN, json=RECORD, headers=headers)
    assert response.status_code == 200
    assert response.json()["record"]["email"] == "ana@example.com"


@pytest.mark.parametrize("path", ["/", "/health", "/docs", "/openapi.json"])
def test_public_paths_need_no_key(anonymous, path):
    assert anonymous.get(path).status_code in (200, 503)


def test_the_openapi_document_declares_the_key(anonymous):
    schemes = anonymous.get("/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "an internal API key",
    }
