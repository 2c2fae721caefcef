"""Fixtures for comment moderation: the sample knowledge base, landing comment webhooks
(`crm.demo.chat_payloads` builds them as Meta's reference shows), and a Graph API sender
with chosen tokens."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import psycopg
import pytest

from crm.conversation.knowledge import import_knowledge
from crm.conversation.senders import GraphSender
from crm.settings import PROJECT_ROOT, get_settings
from ingestion.landing import land, prepare_delivery

KNOWLEDGE = PROJECT_ROOT / "crm" / "demo" / "knowledge"


@pytest.fixture
def conn(db: str) -> Iterator[psycopg.Connection]:
    """The emptied test database with the sample knowledge base loaded."""
    with psycopg.connect(db, autocommit=True) as connection:
        import_knowledge(connection, KNOWLEDGE)
        yield connection


@pytest.fixture
def deliver(db: str) -> Callable[..., None]:
    """Land Meta deliveries (dicts) in raw, as the webhook endpoint does."""

    def send(*deliveries: dict) -> None:
        land(db, [prepare_delivery(json.dumps(d).encode()) for d in deliveries])

    return send


@pytest.fixture
def graph_sender() -> Callable[..., GraphSender]:
    """A GraphSender with these tokens (none: every channel is a dry run), no sleeping."""

    def build(http: httpx.Client, **tokens: str) -> GraphSender:
        get_settings.cache_clear()
        settings = get_settings().model_copy(update=tokens)
        return GraphSender(settings, http, sleep=lambda _: None)

    return build
