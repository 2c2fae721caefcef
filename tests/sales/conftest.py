"""Fixtures for the AI closer: a conversation landed and processed by the worker, the
sample knowledge base, seedable marts, and the closer's rules.

The marts the closer reads (`dim_customers` for the RFM segment, `dim_leads` for the
tier) are dbt's; these tests seed small tables of the same shape in their place (anything
dbt built earlier in the session is moved aside and put back).
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from crm.conversation.config import EngineConfig
from crm.conversation.knowledge import import_knowledge
from crm.conversation.worker import Processor
from crm.demo.chat_payloads import whatsapp_text
from crm.sales.closer import CloserConfig
from crm.sales.offers import SalesRules
from crm.settings import PROJECT_ROOT, get_settings
from ingestion.landing import land, prepare_delivery

KNOWLEDGE = PROJECT_ROOT / "crm" / "demo" / "knowledge"
MARTS = {  # the columns these tests and the engine's real-time lead lookup read
    "dim_leads": "lead_id text, lead_tier text, phone_e164 text, email text,"
    " last_seen_at timestamptz",
    "dim_customers": "lead_id text, segment text",
}
TEMPLATE = "https://shop.test/checkout?lead={lead_id}&product={product}"


@pytest.fixture
def conn(db: str) -> Iterator[psycopg.Connection]:
    """The emptied test database with the sample knowledge base and seedable marts."""
    with psycopg.connect(db, autocommit=True) as connection:
        connection.execute("create schema if not exists marts")
        saved = []
        for table, columns in MARTS.items():
            if connection.execute("select to_regclass(%s)", (f"marts.{table}",)).fetchone()[0]:
                connection.execute(f"alter table marts.{table} rename to {table}__saved")
                saved.append(table)
            connection.execute(f"create table marts.{table} ({columns})")
        import_knowledge(connection, KNOWLEDGE)
        try:
            yield connection
        finally:
            for table in MARTS:
                connection.execute(f"drop table marts.{table}")
            for table in saved:
                connection.execute(f"alter table marts.{table}__saved rename to {table}")


@pytest.fixture
def chat(db: str, conn: psycopg.Connection) -> Callable[..., str]:
    """Land WhatsApp messages from one customer and run the worker over them, as the
    webhook and `crm worker` do; returns the customer's lead id."""
    get_settings.cache_clear()
    settings = get_settings().model_copy(
        update={"business_hours": "mon-sun 00:00-23:59", "conversation_text_models": "keywords"}
    )
    config = EngineConfig.from_settings(settings)
    numbers = itertools.count(1)

    def say(wa_id: str, *texts: str) -> str:
        for text in texts:
            event_id = f"wamid.{wa_id}.{next(numbers)}"
            land(db, [prepare_delivery(json.dumps(whatsapp_text(event_id, wa_id, text)).encode())])
        processor = Processor(conn, config)
        while processor.run_once():
            pass
        row = conn.execute(
            "select lead_id from app.conversations where person_id = %s", (wa_id,)
        ).fetchone()
        return row[0]

    return say


@pytest.fixture
def rules() -> SalesRules:
    return SalesRules.load()


@pytest.fixture
def closer_config(rules: SalesRules) -> CloserConfig:
    return CloserConfig(rules, TEMPLATE)


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def openai_api() -> Iterator[tuple[str, list[dict], list[dict]]]:
    """A loopback server standing in for OpenAI's chat completions API (the SDK's own HTTP
    stack cannot be intercepted by respx): it answers every request with the completion
    put in `answers[0]` and keeps the requests' JSON bodies."""
    answers: list[dict] = []
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            data = json.dumps(answers[0]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", answers, requests
    server.shutdown()
    server.server_close()
