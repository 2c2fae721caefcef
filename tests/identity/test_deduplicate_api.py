"""`GET/POST /api/v1/data/deduplicate` through real HTTP: the review queue and decisions."""

from __future__ import annotations

import json

import httpx
import psycopg
import pytest

URL = "/api/v1/data/deduplicate"
LINKS = [("whatsapp", "50761234567", "L1"), ("import", "C-1", "L2"), ("import", "C-2", "L3")]


@pytest.fixture
def queue(client: httpx.Client, db: str) -> httpx.Client:
    """Three identities in three leads, as an identity run leaves them, one pair to review."""
    with psycopg.connect(db, autocommit=True) as conn:
        for source, source_id, lead_id in LINKS:
            conn.execute(
                "insert into ml.identity_links (record_id, source, source_id, lead_id,"
                " match_confidence, match_rule) values (%s, %s, %s, %s, 1.0, 'same_source_id')",
                (f"{source}:{source_id}", source, source_id, lead_id),
            )
        conn.execute(
            "insert into ml.identity_pairs (record_a, source_a, source_id_a, record_b, source_b,"
            " source_id_b, lead_a, lead_b, match_probability, match_weight, status, reasons)"
            " values ('import:C-1', 'import', 'C-1', 'whatsapp:50761234567', 'whatsapp',"
            " '50761234567', 'L2', 'L1', 0.83, 2.3, 'review', %s)",
            (json.dumps(["first_name: exact (+7.7 bits)", "surname: different (-3.1 bits)"]),),
        )
    return client


def test_the_queue_lists_the_pair_with_both_identities_and_reasons(queue: httpx.Client) -> None:
    response = queue.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    [pair] = body["pairs"]
    assert pair["a"] == {
        "record_id": "import:C-1", "source": "import", "source_id": "C-1", "lead_id": "L2",
    }  # fmt: skip
    assert pair["b"]["record_id"] == "whatsapp:50761234567"
    assert pair["match_probability"] == pytest.approx(0.83)
    assert pair["reasons"][0] == "first_name: exact (+7.7 bits)"


def test_a_decision_is_stored_in_order_and_leaves_the_queue(queue: httpx.Client, db: str) -> None:
    decision = {"record_a": "whatsapp:50761234567", "record_b": "import:C-1", "decision": "reject",
                "decided_by": "ana@shop.example", "note": "different people"}  # fmt: skip
    response = queue.post(URL, json=decision)
    assert response.status_code == 201
    assert response.json()["record_a"] == "import:C-1"
    with psycopg.connect(db) as conn:
        stored = conn.execute(
            "select record_a, record_b, decision, decided_by from app.identity_decisions"
        ).fetchall()
    assert stored == [("import:C-1", "whatsapp:50761234567", "reject", "ana@shop.example")]
    assert queue.get(URL).json() == {"total": 0, "pairs": []}


def test_an_unknown_identity_is_a_404_naming_the_field(queue: httpx.Client) -> None:
    response = queue.post(
        URL, json={"record_a": "import:C-1", "record_b": "import:NOPE", "decision": "accept"}
    )
    assert response.status_code == 404
    assert response.json()["error"]["field"] == "record_b"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"record_a": "import:C-1", "record_b": "import:C-2", "decision": "maybe"}, "decision"),
        ({"record_a": "C-1", "record_b": "import:C-2", "decision": "accept"}, "record_a"),
        ({"record_a": "import:C-1", "record_b": "import:C-1", "decision": "accept"}, "record_b"),
    ],
)
def test_an_invalid_decision_is_a_422_naming_the_field(
    queue: httpx.Client, body: dict, field: str
) -> None:
    response = queue.post(URL, json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_paging_parameters_are_validated(queue: httpx.Client) -> None:
    response = queue.get(URL, params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "query.limit"


def test_the_queue_needs_an_api_key(api: str, db: str) -> None:
    assert httpx.get(api + URL).status_code == 401
