"""`POST /api/v1/data/clean` through real HTTP against the running app."""

import pytest

URL = "/api/v1/data/clean"


@pytest.fixture
def http(api_client):
    return api_client


def test_clean_returns_the_clean_record_fixes_and_issues(http):
    body = {
        "record": {
            "full_name": "Sra. maría JOSÉ de la cruz",
            "email": "John.Doe+crm@GoogleMail.com",
            "phone": "6123-4567",
            "country": "Panamá",
        }
    }
    response = http.post(URL, json=body)
    assert response.status_code == 200
    data = response.json()
    assert data["record"]["phone_e164"] == "+50761234567"
    assert data["record"]["email_key"] == "johndoe@gmail.com"
    assert data["record"]["display_name"] == "María José de la Cruz"
    assert data["record"]["country_code"] == "PA"
    assert "name:honorific_removed" in data["fixes"]
    assert data["issues"] == []


def test_default_region_in_the_body_parses_national_numbers(http):
    response = http.post(URL, json={"record": {"phone": "55 1234 5678"}, "default_region": "MX"})
    assert response.json()["record"]["phone_e164"] == "+525512345678"


def test_issues_name_their_field(http):
    response = http.post(URL, json={"record": {"phone": "n/a", "email": "foo@bar"}})
    assert response.status_code == 200
    assert {"field": "phone", "problem": "not_a_phone"} in response.json()["issues"]


def test_missing_record_is_422_naming_the_field(http):
    response = http.post(URL, json={"default_region": "PA"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "record"


def test_non_object_record_is_422_naming_the_field(http):
    response = http.post(URL, json={"record": "Juan"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "record"


def test_endpoint_is_in_the_openapi_document(http):
    assert URL in http.get("/openapi.json").json()["paths"]
