"""`POST /api/v1/data/enrich` over real HTTP: a record given in the body, and the errors."""

from __future__ import annotations

import httpx

URL = "/api/v1/data/enrich"


def test_a_record_is_cleaned_then_enriched(client: httpx.Client) -> None:
    response = client.post(
        URL,
        json={
            "record": {
                "phone": "6123-4567",
                "email": "Ana.Lopez@Grupo-Alfa.com.pa",
                "country": "Panamá",
                "messages": ["Hola, buenas tardes", "¿tienen la silla en azul?"],
            }
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    enrichment = body["enrichment"]
    assert body["lead_id"] is None and body["providers"] == {}
    assert (enrichment["country_code"], enrichment["time_zone"]) == ("PA", "America/Panama")
    assert (enrichment["phone_line_type"], enrichment["language"]) == ("mobile", "es")
    assert (enrichment["company"], enrichment["email_domain_type"]) == ("Grupo Alfa", "corporate")
    assert enrichment["inbound_message_count"] == 2
    assert enrichment["contact_hours"]["window_utc"] == "14:00-23:00"


def test_a_national_number_uses_the_default_region(client: httpx.Client) -> None:
    response = client.post(URL, json={"record": {"phone": "300 123 4567"}, "default_region": "CO"})
    assert response.json()["enrichment"]["time_zone"] == "America/Bogota"


def test_unknown_lead_is_404_naming_the_field(client: httpx.Client) -> None:
    response = client.post(URL, json={"lead_id": "no-such-lead"})
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "lead_id"


def test_neither_or_both_inputs_are_422(client: httpx.Client) -> None:
    for body in ({}, {"lead_id": "x", "record": {"phone": "1"}}):
        response = client.post(URL, json=body)
        assert response.status_code == 422
        assert response.json()["error"]["field"] == "lead_id"


def test_bad_input_is_422_naming_the_field(client: httpx.Client) -> None:
    response = client.post(URL, json={"record": {"messages": "not a list"}})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "record.messages"
    response = client.post(URL, json={"record": {}, "default_region": "Panama"})
    assert response.json()["error"]["field"] == "default_region"


def test_the_endpoint_needs_an_api_key(api: str) -> None:
    assert httpx.post(api + URL, json={"record": {}}).status_code == 401
