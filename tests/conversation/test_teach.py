"""`crm ml teach`: real inbound messages from raw, labelled by the LLM (faked at the HTTP
boundary as OpenAI's json_schema answer) into ml.teacher_labels, once per distinct text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from llm_payloads import OPENAI, openai_json
from typer.testing import CliRunner, Result

from crm.cli import app
from crm.demo.chat_payloads import whatsapp_status, whatsapp_text
from crm.settings import get_settings

ANSWER = {"intent": "price_inquiry", "confidence": 0.9, "sentiment_score": 0.05}


@pytest.fixture
def teach(conn, fake_api) -> Callable[..., Result]:
    """Run `crm ml teach ARGS` in-process with an OpenAI key pointed at the fake (on an
    empty ml.teacher_labels: the `db` fixture empties only raw and app)."""
    conn.execute("truncate ml.teacher_labels")
    url, _ = fake_api
    env = {"OPENAI_API_KEY": "sk-test", "OPENAI_BASE_URL": f"{url}/v1", "LLM_MAX_RETRIES": "0"}

    def run(*args: str, key: bool = True) -> Result:
        get_settings.cache_clear()
        options = env if key else {"OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""}
        try:
            return CliRunner().invoke(app, ["ml", "teach", *args], env=options)
        finally:
            get_settings.cache_clear()

    return run


def _labels(conn) -> list[tuple]:
    return conn.execute(
        "select text, language, intent, sentiment, sentiment_label, provider, model,"
        " prompt_version from ml.teacher_labels order by text"
    ).fetchall()


def test_teach_labels_each_distinct_inbound_message_once(conn, deliver, fake_api, teach):
    _, api = fake_api
    api.answer(OPENAI, (200, openai_json(ANSWER)))
    deliver(
        whatsapp_text("wamid.t1", "50760000051", "cuánto cuesta el envío a David?"),
        whatsapp_text("wamid.t2", "50760000052", "cuánto cuesta el envío a David?"),
        whatsapp_text("wamid.t3", "50760000053", "how much is the monitor? call me 6123-4567"),
        whatsapp_text("wamid.t4", "50760000054", "precio del teclado"),
        whatsapp_status("wamid.t1", "50760000051", "read"),
    )
    first = teach("--limit", "2")
    assert first.exit_code == 0, first.output
    assert "2 labelled, 0 already labelled, 0 failed" in first.output
    assert len(_labels(conn)) == 2 and len(api.requests) == 2

    second = teach()
    assert "1 labelled, 2 already labelled" in second.output
    rows = _labels(conn)
    assert [(text, language) for text, language, *_ in rows] == [
        ("cuánto cuesta el envío a David?", "es"),
        ("how much is the monitor? call me [PHONE]", "en"),
        ("precio del teclado", "es"),
    ]
    assert rows[0][2:] == (
        "price_inquiry",
        0.05,
        "neutral",
        "openai",
        "gpt-4o-mini",
        "classify.v1",
    )
    assert "6123-4567" not in str(api.requests)  # masked before it left

    again = teach()
    assert again.exit_code == 0 and "0 labelled, 3 already labelled" in again.output
    assert _labels(conn) == rows and len(api.requests) == 3  # no new call, no new row
    calls = conn.execute("select count(*) from app.llm_calls where ok").fetchone()[0]
    assert calls == 3


def test_teach_stores_nothing_when_the_llm_fails(conn, deliver, fake_api, teach):
    _, api = fake_api
    api.answer(OPENAI, (200, openai_json({**ANSWER, "intent": "shipping"})))
    deliver(whatsapp_text("wamid.f1", "50760000061", "cuánto cuesta el envío?"))
    result = teach()
    assert result.exit_code == 1 and "0 labelled, 0 already labelled, 1 failed" in result.output
    assert _labels(conn) == []


def test_teach_without_a_key_says_so_and_fails(conn, teach):
    result = teach(key=False)
    assert result.exit_code != 0
    assert "needs an LLM: set OPENAI_API_KEY or ANTHROPIC_API_KEY" in result.output
