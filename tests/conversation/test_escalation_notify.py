"""Agents are told of handoffs by a signed webhook, retried with backoff until taken."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

from crm.conversation.escalation import notify_due
from crm.demo.chat_payloads import whatsapp_text

SECRET = "agents-secret"


def _handoff(conn, deliver, process) -> None:
    deliver(whatsapp_text("wamid.h1", "50760000041", "quiero hablar con una persona"))
    process()


def _state(conn):
    return conn.execute(
        "select notify_status, notify_attempts, notify_next_at > now() from app.handoffs"
    ).fetchone()


def test_the_handoff_is_posted_signed_with_its_reason_and_summary(
    knowledge, deliver, process, fake_api
):
    url, agents = fake_api
    agents.answer("/handoffs", (200, {"ok": True}))
    _handoff(knowledge, deliver, process)
    with httpx.Client() as http, knowledge.transaction():
        sent = notify_due(knowledge, f"{url}/handoffs", SECRET, http)
    path, body = agents.requests[0]
    assert sent == 1 and path == "/handoffs"
    assert body["event"] == "handoff.created"
    assert body["reason"] == "the customer asked for a human"
    assert "quiero hablar con una persona" in body["summary"]
    assert _state(knowledge)[:2] == ("sent", 1)


def test_a_failed_notification_is_retried_later_and_then_delivered(
    knowledge, deliver, process, fake_api
):
    url, agents = fake_api
    agents.answer("/handoffs", (503, {"error": "down"}), (200, {"ok": True}))
    _handoff(knowledge, deliver, process)
    with httpx.Client() as http:
        notify_due(knowledge, f"{url}/handoffs", SECRET, http)
        failed = _state(knowledge)
        notify_due(knowledge, f"{url}/handoffs", SECRET, http)  # not due yet: backing off
        knowledge.execute("update app.handoffs set notify_next_at = now()")
        notify_due(knowledge, f"{url}/handoffs", SECRET, http)
    assert failed == ("pending", 1, True)
    assert len(agents.requests) == 2
    assert _state(knowledge)[:2] == ("sent", 2)


def test_the_signature_is_an_hmac_of_the_exact_body(knowledge, deliver, process):
    seen: list[httpx.Request] = []

    def agent(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    _handoff(knowledge, deliver, process)
    with httpx.Client(transport=httpx.MockTransport(agent)) as http:
        notify_due(knowledge, "https://agents.example/hook", SECRET, http)
    request = seen[0]
    expected = "sha256=" + hmac.new(SECRET.encode(), request.content, hashlib.sha256).hexdigest()
    assert request.headers["X-CRM-Signature-256"] == expected
    assert json.loads(request.content)["handoff_id"] == 1
