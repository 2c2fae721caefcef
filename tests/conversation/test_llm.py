"""LLM adapters through the official SDKs, faked at the HTTP boundary (a loopback server
answering with payloads shaped as the providers return them): the chain, its fallback,
accounting, PII masking."""

from __future__ import annotations

import pytest

from crm.conversation import bot
from crm.conversation.llm import build_chain
from crm.conversation.pii import mask
from crm.settings import get_settings

OPENAI = "/v1/chat/completions"
ANTHROPIC = "/v1/messages"


def openai_completion(text: str) -> dict:
    return {
        "id": "chatcmpl-abc123",
        "object": "chat.completion",
        "created": 1764150000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 412, "completion_tokens": 38, "total_tokens": 450},
    }


def anthropic_message(text: str) -> dict:
    return {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": "claude-3-5-haiku-20241022",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 400, "output_tokens": 30},
    }


@pytest.fixture
def providers(fake_api):
    """The LLM chain (OpenAI first, then Anthropic) pointed at the fake API."""
    url, api = fake_api
    settings = get_settings().model_copy(
        update={
            "openai_api_key": "sk-test",
            "anthropic_api_key": "ak-test",
            "openai_base_url": f"{url}/v1",
            "anthropic_base_url": url,
            "llm_max_retries": 0,
        }
    )
    return build_chain(settings), api


def _calls(conn):
    return conn.execute(
        "select provider, ok, input_tokens, output_tokens, cost_usd::float, prompt_version"
        " from app.llm_calls order by call_id"
    ).fetchall()


def test_openai_answers_and_the_call_is_accounted(knowledge, providers):
    chain, api = providers
    api.answer(OPENAI, (200, openai_completion("El monitor cuesta 289.00 USD [P1].")))
    reply = bot.answer(knowledge, "¿cuánto cuesta el monitor?", "price_inquiry", "es", llm=chain)
    assert (reply.text, reply.source) == ("El monitor cuesta 289.00 USD [P1].", "openai")
    assert reply.citations[0] == "es/productos.csv#monitor vista 27"
    assert _calls(knowledge) == [
        ("openai", True, 412, 38, pytest.approx(412 * 0.15e-6 + 38 * 0.6e-6), "reply.v1")
    ]
    system = api.requests[0][1]["messages"][0]["content"]
    assert "Answer in Spanish" in system and "[P1] Monitor Vista 27" in system


def test_a_failing_provider_falls_back_to_the_other(knowledge, providers):
    chain, api = providers
    api.answer(OPENAI, (500, {"error": {"message": "server error", "type": "server_error"}}))
    api.answer(ANTHROPIC, (200, anthropic_message("Aceptamos Yappy [P1].")))
    reply = bot.answer(knowledge, "¿aceptan yappy?", "payment", "es", llm=chain)
    assert reply.source == "anthropic"
    assert [(p, ok) for p, ok, *_ in _calls(knowledge)] == [("openai", False), ("anthropic", True)]


def test_an_invented_price_is_rejected_for_the_local_answer(knowledge, providers):
    chain, api = providers
    api.answer(OPENAI, (200, openai_completion("The monitor costs 199 USD.")))
    reply = bot.answer(knowledge, "how much is the monitor?", "price_inquiry", "en", llm=chain)
    assert reply.source == "local" and "289.00" in reply.text


def test_all_providers_down_means_the_local_answer(knowledge, providers):
    chain, api = providers
    api.answer(OPENAI, (503, {"error": {"message": "unavailable"}}))
    api.answer(ANTHROPIC, (529, {"type": "error", "error": {"type": "overloaded_error"}}))
    reply = bot.answer(knowledge, "¿aceptan yappy?", "payment", "es", llm=chain)
    assert reply.source == "local" and "Yappy" in reply.text
    assert [ok for _, ok, *_ in _calls(knowledge)] == [False, False]


def test_personal_data_is_masked_before_it_leaves(knowledge, providers):
    chain, api = providers
    api.answer(OPENAI, (200, openai_completion("Sí [P1].")))
    text = "Soy ana@example.com, tel +507 6123-4567, tarjeta 4111 1111 1111 1111: ¿aceptan yappy?"
    bot.answer(knowledge, text, "payment", "es", llm=chain)
    sent = api.requests[0][1]["messages"][-1]["content"]
    assert sent == "Soy [EMAIL], tel [PHONE], tarjeta [CARD]: ¿aceptan yappy?"


def test_mask_keeps_numbers_that_are_not_personal():
    assert (
        mask("Necesito 500 unidades del pedido 12345") == "Necesito 500 unidades del pedido 12345"
    )
