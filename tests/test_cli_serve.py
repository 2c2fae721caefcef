"""`crm serve` as `make demo` starts it: a child process that migrates, serves and lands."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import psycopg

from crm.demo.sender import signed_headers
from crm.demo.server import api_process
from crm.settings import get_settings


def test_crm_serve_answers_health_and_lands_a_signed_delivery(db: str, tmp_path: Path) -> None:
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": "PN1"},
                                "contacts": [{"profile": {"name": "Ana"}, "wa_id": "50761234567"}],
                                "messages": [
                                    {
                                        "from": "50761234567",
                                        "id": "wamid.serve1",
                                        "timestamp": "1767261600",
                                        "type": "text",
                                        "text": {"body": "Hola"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    secret = get_settings().app_secret()  # the child reads the same CRM_HOME
    with api_process(db, tmp_path / "api.log") as base_url:
        assert httpx.get(f"{base_url}/health").json()["database"]["reachable"] is True
        answer = httpx.post(
            f"{base_url}/api/v1/webhooks/inbound",
            content=body,
            headers=signed_headers(body, secret),
        )
    assert answer.status_code == 200 and answer.json()["new_events"] == 1
    with psycopg.connect(db) as conn:
        row = conn.execute("select event_id, person_name from raw.channel_events").fetchone()
    assert row == ("wamid.serve1", "Ana")
