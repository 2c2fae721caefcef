"""The LLM text classifier through the official SDKs, faked at the HTTP boundary (a
loopback server answering as OpenAI's chat completions with a `json_schema` response and
Anthropic's messages with a forced `tool_use` block): structured requests, validation,
the fallback chain down to the local models, accounting, masking, the per-text cache; and
the text endpoints over HTTP with `CONVERSATION_TEXT_MODELS=llm`."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from llm_payloads import ANTHROPIC, OPENAI, anthropic_tool_use, openai_json

from crm.conversation.llm_classify import (
    CLASSIFICATION,
    LLMTextModels,
    _warn_no_key,
    classify_chain,
    llm_or_local,
    parse,
)
from crm.conversation.understanding import KeywordModels
from crm.settings import get_settings
from ml.intents import INTENTS

OVERLOADED = (529, {"type": "error", "error": {"type": "overloaded_error", "message": "busy"}})
COMPLAINT = {"intent": "complaint", "confidence": 0.93, "sentiment_score": -0.8}


def _models(url: str, **update) -> LLMTextModels:
    settings = get_settings().model_copy(
        update={
            "openai_api_key": "sk-test",
            "anthropic_api_key": "ak-test",
            "openai_base_url": f"{url}/v1",
            "anthropic_base_url": url,
            "llm_max_retries": 0,
            **update,
        }
    )
    chain = classify_chain(settings)
    assert chain is not None
    return LLMTextModels(chain, KeywordModels())  # the keyword rules stand in for local


def _calls(conn) -> list[tuple]:
    return conn.execute(
        "select provider, ok, input_tokens, output_tokens, cost_usd::float, prompt_version,"
        " error from app.llm_calls order by call_id"
    ).fetchall()


def test_openai_answers_with_a_strict_json_schema_and_one_call_serves_both(conn, fake_api):
    url, api = fake_api
    api.answer(OPENAI, (200, openai_json(COMPLAINT)))
    models = _models(url)
    text = "llevo 2 semanas esperando, pésimo servicio"
    assert models.intent(text) == ("complaint", 0.93)
    assert models.sentiment(text) == (-0.8, "negative")
    assert models.classify(text).source == "llm:openai:gpt-4o-mini"
    assert len(api.requests) == 1  # cached: intent and sentiment from one call
    form = api.requests[0][1]["response_format"]
    assert form["type"] == "json_schema" and form["json_schema"]["strict"] is True
    assert form["json_schema"]["schema"]["properties"]["intent"]["enum"] == list(INTENTS)
    assert "human_agent: asks to talk to a person" in api.requests[0][1]["messages"][0]["content"]
    cost = 388 * 0.15e-6 + 21 * 0.6e-6
    assert _calls(conn) == [("openai", True, 388, 21, pytest.approx(cost), "classify.v1", None)]


def test_anthropic_answers_through_a_forced_tool(conn, fake_api):
    url, api = fake_api
    answer = {"intent": "price_inquiry", "confidence": 0.88, "sentiment_score": 0.1}
    api.answer(ANTHROPIC, (200, anthropic_tool_use(answer)))
    found = _models(url, llm_provider="anthropic").classify("q precio tiene el monitor")
    assert (found.intent, found.confidence, found.score, found.label) == (
        "price_inquiry",
        0.88,
        0.1,
        "neutral",
    )
    assert found.source == "llm:anthropic:claude-3-5-haiku-latest"
    sent = api.requests[0][1]
    assert sent["tool_choice"] == {"type": "tool", "name": "classify_message"}
    assert sent["tools"][0]["input_schema"] == CLASSIFICATION.schema
    assert [row[:4] for row in _calls(conn)] == [("anthropic", True, 512, 48)]


def test_invalid_answers_fall_back_to_the_local_model_with_the_reason(conn, fake_api):
    url, api = fake_api
    api.answer(OPENAI, (200, openai_json({**COMPLAINT, "intent": "angry_customer"})))
    no_tool = anthropic_tool_use({}) | {"content": [{"type": "text", "text": "complaint"}]}
    api.answer(ANTHROPIC, (200, no_tool))
    found = _models(url).classify("quiero un reembolso")
    assert (found.source, found.intent) == ("local", "cancellation_refund")  # the keyword rule
    assert "'angry_customer' is not one of the 11" in found.reason
    assert "anthropic: invalid output" in found.reason
    calls = _calls(conn)
    assert [(p, ok, tokens) for p, ok, tokens, *_ in calls] == [
        ("openai", False, 388),  # a rejected answer still cost its tokens
        ("anthropic", False, 512),
    ]
    assert "not one of the 11" in calls[0][6] and "invalid output" in calls[1][6]


def test_a_timeout_moves_to_the_other_provider(conn, fake_api):
    url, api = fake_api
    api.delays[OPENAI] = 2.0
    api.answer(ANTHROPIC, (200, anthropic_tool_use(COMPLAINT)))
    found = _models(url, llm_timeout_s=0.5).classify("esto es una estafa")
    assert found.source == "llm:anthropic:claude-3-5-haiku-latest"
    assert [(p, ok) for p, ok, *_ in _calls(conn)] == [("openai", False), ("anthropic", True)]
    assert "timed out" in _calls(conn)[0][6].lower()


def test_a_timeout_then_an_overloaded_provider_means_the_local_model(conn, fake_api):
    url, api = fake_api
    api.delays[OPENAI] = 2.0
    api.answer(ANTHROPIC, OVERLOADED)
    models = _models(url, llm_timeout_s=0.5)
    assert models.intent("quiero hablar con un agente") == ("human_agent", 0.7)
    assert models.sentiment("quiero hablar con un agente") == (0.0, "neutral")
    assert [ok for _, ok, *_ in _calls(conn)] == [False, False]  # and no second round


def test_personal_data_is_masked_before_it_leaves(conn, fake_api):
    url, api = fake_api
    api.answer(OPENAI, (200, openai_json(COMPLAINT)))
    _models(url).classify("soy ana@example.com, cel +507 6123-4567, tarjeta 4111 1111 1111 1111")
    sent = api.requests[0][1]["messages"][-1]
    assert sent == {"role": "user", "content": "soy [EMAIL], cel [PHONE], tarjeta [CARD]"}


def test_numbers_out_of_range_are_clamped_and_wrong_types_refused():
    answer = {"intent": "payment", "confidence": 1.7, "sentiment_score": -3}
    assert parse(json.dumps(answer)) == ("payment", 1.0, -1.0)
    with pytest.raises(ValueError, match="must be numbers"):
        parse(json.dumps({**answer, "confidence": "high"}))
    with pytest.raises(ValueError, match="not the classification object"):
        parse("")


def test_llm_without_a_key_is_the_local_model_with_one_warning(caplog):
    settings = get_settings().model_copy(update={"openai_api_key": None, "anthropic_api_key": None})
    local = KeywordModels()
    _warn_no_key.cache_clear()  # once per process: start this process's count here
    with caplog.at_level(logging.WARNING, logger="crm.conversation.llm_classify"):
        assert llm_or_local(local, settings) is local
        assert llm_or_local(local, settings) is local
    assert len([r for r in caplog.records if "CONVERSATION_TEXT_MODELS=llm" in r.message]) == 1


DETECT, ANALYZE = "/api/v1/intents/detect", "/api/v1/sentiment/analyze"


@pytest.fixture
def llm_app(db, fake_api, api_env, start_app, tmp_path) -> Iterator[tuple[httpx.Client, object]]:
    """The app with an OpenAI key and base URL at the fake (no Anthropic key), an empty
    MLflow store (the local models are the corpus-trained stand-ins)."""
    url, api = fake_api
    env = {
        **api_env,
        "DATABASE_URL": db,
        "MLFLOW_TRACKING_URI": f"sqlite:///{tmp_path / 'mlflow.db'}",
        "CONVERSATION_TEXT_MODELS": "llm",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": f"{url}/v1",
        "ANTHROPIC_API_KEY": "",
        "LLM_MAX_RETRIES": "0",
    }
    with start_app(env, tmp_path / "server.log") as base:
        headers = {"X-API-Key": "test-api-key"}
        with httpx.Client(base_url=base, headers=headers, timeout=180) as client:
            yield client, api


def test_the_endpoints_answer_from_the_llm_and_say_so(llm_app, conn):
    client, api = llm_app
    api.answer(
        OPENAI,
        (200, openai_json({"intent": "complaint", "confidence": 0.91, "sentiment_score": -0.7})),
    )
    intent = client.post(DETECT, json={"message": "el pedido llegó roto"}).json()
    sentiment = client.post(ANALYZE, json={"message": "el pedido llegó roto"}).json()
    llm = {"name": "llm:openai:gpt-4o-mini", "version": "classify.v1"}
    assert intent == {
        "intent": "complaint",
        "confidence": 0.91,
        "model": llm,
        "source": "llm:openai:gpt-4o-mini",
    }
    assert sentiment == {
        "score": -0.7,
        "label": "negative",
        "model": llm,
        "source": "llm:openai:gpt-4o-mini",
    }
    assert len(api.requests) == 1  # one call answered both endpoints
    rows = conn.execute("select provider, ok, prompt_version from app.llm_calls").fetchall()
    assert rows == [("openai", True, "classify.v1")]


def test_an_invalid_llm_answer_means_the_local_champion_answers(llm_app, conn):
    client, api = llm_app
    api.answer(
        OPENAI, (200, openai_json({"intent": "refund", "confidence": 2, "sentiment_score": 0}))
    )
    intent = client.post(DETECT, json={"message": "q precio tiene"}).json()
    assert intent["source"] == "local" and intent["intent"] == "price_inquiry"
    assert intent["model"] == {"name": "crm-intent", "version": None}
    error = conn.execute("select error from app.llm_calls where not ok").fetchone()[0]
    assert "'refund' is not one of the 11" in error
