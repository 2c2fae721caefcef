"""Draining the outbox against a fake Graph API (respx at the HTTP boundary)."""

from __future__ import annotations

import httpx
import pytest
import respx

from crm.conversation.senders import GraphSender, RateLimiter, drain
from crm.demo.chat_payloads import PHONE_NUMBER_ID, messenger_text, whatsapp_text
from crm.settings import get_settings

GRAPH = "https://graph.facebook.com/v21.0"
WA_URL = f"{GRAPH}/{PHONE_NUMBER_ID}/messages"
WA_OK = {
    "messaging_product": "whatsapp",
    "contacts": [{"input": "50760000001", "wa_id": "50760000001"}],
    "messages": [{"id": "wamid.HBgLNTA3NjAwMDAwMDEVAgARGBI1"}],
}
GRAPH_ERROR = {
    "error": {
        "message": "(#131030) Recipient phone number not in allowed list",
        "type": "OAuthException",
        "code": 131030,
        "fbtrace_id": "AbCdEf",
    }
}


@pytest.fixture
def queued(knowledge, deliver, process):
    """One WhatsApp reply and one Messenger reply waiting in the outbox."""
    deliver(whatsapp_text("wamid.in", "50760000001", "Hola"))
    deliver(messenger_text("mid.in", "psid-1", "Hi"))
    process()
    return knowledge


def _sender(http: httpx.Client, **tokens: str) -> GraphSender:
    settings = get_settings().model_copy(update=tokens)
    return GraphSender(settings, http, sleep=lambda _: None)


def _rows(conn):
    return conn.execute(
        "select channel, status, provider_message_id, attempts, last_error"
        " from app.outbox order by outbox_id"
    ).fetchall()


def test_whatsapp_is_sent_and_a_channel_without_token_is_a_dry_run(queued):
    with respx.mock(assert_all_called=True) as graph, httpx.Client() as http:
        route = graph.post(WA_URL).respond(200, json=WA_OK)
        drain(queued, _sender(http, whatsapp_access_token="wa-token"), RateLimiter(100))
    request = route.calls.last.request
    assert request.headers["Authorization"] == "Bearer wa-token"
    assert b'"messaging_product":"whatsapp"' in request.content.replace(b" ", b"")
    assert _rows(queued) == [
        ("whatsapp", "sent", "wamid.HBgLNTA3NjAwMDAwMDEVAgARGBI1", 1, None),
        ("messenger", "dry_run", None, 0, None),
    ]


def test_5xx_and_429_are_retried_with_backoff_then_sent(queued):
    delays: list[float] = []
    with respx.mock() as graph, httpx.Client() as http:
        graph.post(WA_URL).mock(
            side_effect=[
                httpx.Response(503),
                httpx.Response(429, headers={"Retry-After": "2"}),
                httpx.Response(200, json=WA_OK),
            ]
        )
        sender = _sender(http, whatsapp_access_token="t")
        sender.sleep = delays.append
        drain(queued, sender, RateLimiter(100))
    assert delays == [0.5, 2.0]
    assert _rows(queued)[0][1] == "sent"


def test_a_refused_message_fails_visibly_with_metas_reason(queued):
    with respx.mock() as graph, httpx.Client() as http:
        graph.post(WA_URL).respond(400, json=GRAPH_ERROR)
        drain(queued, _sender(http, whatsapp_access_token="t"), RateLimiter(100))
    status, error = _rows(queued)[0][1], _rows(queued)[0][4]
    assert status == "failed" and "Recipient phone number not in allowed list" in error


def test_a_send_that_may_have_gone_out_is_never_retried(queued):
    with respx.mock() as graph, httpx.Client() as http:
        route = graph.post(WA_URL).mock(side_effect=httpx.ReadTimeout("slow"))
        drain(queued, _sender(http, whatsapp_access_token="t"), RateLimiter(100))
        drain(queued, _sender(http, whatsapp_access_token="t"), RateLimiter(100))
    assert route.call_count == 1
    assert _rows(queued)[0][1] == "failed"


def test_messenger_uses_the_send_api_shape(queued):
    url = f"{GRAPH}/1234567890/messages"
    with respx.mock() as graph, httpx.Client() as http:
        route = graph.post(url).respond(200, json={"recipient_id": "psid-1", "message_id": "m_1"})
        drain(queued, _sender(http, messenger_access_token="page-token"), RateLimiter(100))
    sent = route.calls.last.request
    assert b'"recipient":{"id":"psid-1"}' in sent.content.replace(b" ", b"")
    assert _rows(queued)[1][1:3] == ("sent", "m_1")


def test_the_rate_limiter_spaces_sends_per_sender():
    slept: list[float] = []
    clock = iter([0.0, 0.0, 0.0, 0.0]).__next__
    limiter = RateLimiter(per_second=10, sleep=slept.append, clock=clock)
    for sender in ("a", "a", "a", "b"):
        limiter.wait(sender)
    assert slept == pytest.approx([0.1, 0.2])
