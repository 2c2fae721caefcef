"""Fixtures for the conversation engine: landing chat deliveries, the sample knowledge
base, and running the worker's processing step until the queue is empty."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from crm.conversation.config import EngineConfig
from crm.conversation.knowledge import import_knowledge
from crm.conversation.worker import Processor
from crm.settings import PROJECT_ROOT, get_settings
from ingestion.landing import land, prepare_delivery

KNOWLEDGE = PROJECT_ROOT / "crm" / "demo" / "knowledge"


@pytest.fixture
def conn(db: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the emptied test database."""
    with psycopg.connect(db, autocommit=True) as connection:
        yield connection


@pytest.fixture
def deliver(db: str) -> Callable[..., None]:
    """Land Meta deliveries (dicts) in raw, as the webhook endpoint does."""

    def send(*deliveries: dict) -> None:
        land(db, [prepare_delivery(json.dumps(d).encode()) for d in deliveries])

    return send


@pytest.fixture
def knowledge(conn: psycopg.Connection) -> psycopg.Connection:
    """The sample knowledge base (es / en products, FAQ, policies) loaded."""
    import_knowledge(conn, KNOWLEDGE)
    return conn


@pytest.fixture
def config() -> EngineConfig:
    """The engine's configuration: no LLM, agents always available, and the keyword rules
    for intent and sentiment (fixed behaviour: these tests are about the engine, the
    models have their own)."""
    get_settings.cache_clear()
    settings = get_settings().model_copy(
        update={"business_hours": "mon-sun 00:00-23:59", "conversation_text_models": "keywords"}
    )
    return EngineConfig.from_settings(settings)


@pytest.fixture
def process(conn: psycopg.Connection, config: EngineConfig) -> Callable[[], int]:
    """Run the worker's processing step until nothing is left; events processed."""

    def run() -> int:
        processor, total = Processor(conn, config), 0
        while claimed := processor.run_once():
            total += claimed
        return total

    return run


class FakeAPI:
    """Canned answers per path, and every request received (path, JSON body); `delays`
    holds the seconds a path waits before answering (a slow provider)."""

    def __init__(self) -> None:
        self.answers: dict[str, list[tuple[int, dict]]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.delays: dict[str, float] = {}

    def answer(self, path: str, *answers: tuple[int, dict] | Callable[[dict], tuple]) -> None:
        """Answer `path` with these (status, JSON) in turn, repeating the last one."""
        self.answers[path] = list(answers)

    def next_answer(self, path: str) -> tuple[int, dict]:
        """The next answer; a callable one is computed from the request's JSON body."""
        queue = self.answers.get(path) or [(404, {"error": {"message": "no such path"}})]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return answer(self.requests[-1][1]) if callable(answer) else answer


@pytest.fixture
def fake_api() -> Iterator[tuple[str, FakeAPI]]:
    """A real HTTP server on loopback standing in for a provider's API (the LLM SDKs now
    ship their own HTTP stack, `httpx2`, which respx cannot intercept)."""
    api = FakeAPI()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            api.requests.append((self.path, body))
            time.sleep(api.delays.get(self.path, 0.0))
            status, answer = api.next_answer(self.path)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # keep pytest's output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", api
    server.shutdown()
    server.server_close()
