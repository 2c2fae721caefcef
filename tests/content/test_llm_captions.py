"""Captions from the LLM chain (OpenAI's chat completions API faked by a loopback server
answering in its documented shape): given only the product's row, held to Instagram's
limits, accounted under the versioned prompt, and replaced by the template on failure."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from crm.content.captions import MAX_CAPTION, MAX_HASHTAGS, Campaign
from crm.content.posts import generate_posts
from crm.conversation.llm import build_chain
from crm.settings import get_settings

LONG_TEXT = (
    "¡Llegó la Laptop Nova 14 a 749.00 USD! " * 80
    + "\nEscríbenos por DM para pedir la tuya.\n"
    + " ".join(f"#Tag{i}" for i in range(40))
)


def completion(text: str) -> dict:
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
        "usage": {"prompt_tokens": 300, "completion_tokens": 500, "total_tokens": 800},
    }


@pytest.fixture
def openai() -> Iterator[tuple[str, list]]:
    """A loopback stand-in for OpenAI: answers `answers` in turn, records request bodies."""
    requests: list[dict] = []
    answers: list[tuple[int, dict]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            status, answer = answers.pop(0)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", requests, answers
    server.shutdown()
    server.server_close()


def chain_for(url: str):
    settings = get_settings().model_copy(
        update={"openai_api_key": "sk-test", "openai_base_url": url, "llm_max_retries": 0}
    )
    return build_chain(settings)


def test_the_llm_caption_is_grounded_limited_and_accounted(knowledge: str, openai) -> None:
    url, requests, answers = openai
    answers.append((200, completion(LONG_TEXT)))
    campaign = Campaign("Black Friday", "launch", "es", "playful", "Nova 14")
    with psycopg.connect(knowledge) as conn:
        ((post, _),) = generate_posts(conn, campaign, ["instagram"], chain=chain_for(url))
        calls = conn.execute("select provider, ok, prompt_version from app.llm_calls").fetchall()
    system = requests[0]["messages"][0]["content"]
    assert "Write in Spanish" in system
    assert "Laptop Nova 14" in system and "749.00" in system and "Monitor" not in system
    assert post["generator"] == "openai:gpt-4o-mini:post.v1"
    assert len(post["caption"]) <= MAX_CAPTION and len(post["hashtags"]) == MAX_HASHTAGS
    assert post["call_to_action"] == "Escríbenos por DM para pedir la tuya."
    assert post["caption"].endswith(" ".join(post["hashtags"]))
    assert calls == [("openai", True, "post.v1")]


def test_a_failing_llm_falls_back_to_the_template(knowledge: str, openai) -> None:
    url, _, answers = openai
    answers.append((500, {"error": {"message": "server error", "type": "server_error"}}))
    campaign = Campaign("Black Friday", "launch", "en", "friendly", "Nova 14")
    with psycopg.connect(knowledge) as conn:
        ((post, _),) = generate_posts(conn, campaign, ["facebook"], chain=chain_for(url))
    assert post["generator"] == "template" and "Nova 14 laptop" in post["caption"]
