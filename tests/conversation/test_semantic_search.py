"""Hybrid retrieval: passages embedded through the OpenAI SDK (faked at the HTTP boundary
by a loopback server answering as the embeddings API does) and stored in pgvector, merged
with full-text search; and the fall-backs to full-text search alone.

These run on a server with pgvector in both CI passes: the session's server when it has
the extension, else an embedded server started here in its own folder and stopped after.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from psycopg import sql

from crm import embedded
from crm.conversation import bot
from crm.conversation.embeddings import build_embedder
from crm.conversation.knowledge import import_knowledge, search
from crm.conversation.passage_vectors import NEAREST_SQL, embed_passages
from crm.conversation.understanding import fold
from crm.conversation.worker import Processor
from crm.database import sqlalchemy_url
from crm.demo.chat_payloads import whatsapp_text
from crm.migrate import alembic_config
from crm.settings import PROJECT_ROOT, get_settings
from ingestion.landing import land, prepare_delivery

EMBEDDINGS = "/v1/embeddings"
DIMS = 1536  # text-embedding-3-small's width: the one the HNSW index covers
# What a real embedding model knows and full-text search does not: these mean the same.
CONCEPTS = {
    "precio": "price",
    "precios": "price",
    "cuanto": "price",
    "cobran": "price",
    "cuesta": "price",
    "laptop": "computer",
    "compu": "computer",
    "computadora": "computer",
    "envio": "shipping",
    "envios": "shipping",
    "enviamos": "shipping",
    "llega": "shipping",
}
STORE = {
    "precios.md": "# Tienda\n\n## Precios\nEl precio de la Laptop Nova 14 es 749 USD.\n",
    "envios.md": "# Tienda\n\n## Envíos\nEnviamos a todo Panamá en 1 a 3 días hábiles.\n",
    "pagos.md": "# Tienda\n\n## Pagos\nAceptamos tarjeta, transferencia y Yappy.\n",
}
DIFFERENT_WORDS = "¿cuánto me cobran por la compu?"  # shares no word with 'Precios'


def fake_vector(text: str) -> list[float]:
    """A hashed bag of concepts, unit length: texts meaning the same are close."""
    vector = [0.0] * DIMS
    for word in re.findall(r"\w+", fold(text)):
        concept = CONCEPTS.get(word, word)
        vector[int(hashlib.md5(concept.encode()).hexdigest()[:8], 16) % DIMS] += 1.0
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]


def embeddings_response(body: dict) -> tuple[int, dict]:
    """What POST /v1/embeddings answers (platform.openai.com/docs/api-reference/embeddings)."""
    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
    tokens = sum(len(t.split()) for t in inputs)
    return 200, {
        "object": "list",
        "data": [
            {"object": "embedding", "index": i, "embedding": fake_vector(t)}
            for i, t in enumerate(inputs)
        ],
        "model": body["model"],
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def _migrate(url: str) -> None:
    engine = sa.create_engine(sqlalchemy_url(url))
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
    engine.dispose()


@pytest.fixture(scope="module")
def vector_url(database_url: str) -> Iterator[str]:
    """A migrated database with pgvector: the session's, or an embedded server's."""
    with psycopg.connect(database_url) as conn:
        if conn.execute("select to_regclass('app.knowledge_embeddings')").fetchone()[0]:
            yield database_url
            return
    home = Path(tempfile.mkdtemp(prefix="crm-vector-home-"))
    try:
        url = embedded.ensure_running(home)
        _migrate(url)
        yield url
    finally:
        embedded.stop(home)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def vectors(vector_url: str, empty_landing) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the pgvector database, `raw` and `app` emptied."""
    with psycopg.connect(vector_url, autocommit=True) as conn:
        empty_landing(conn)
        yield conn


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "es"
    folder.mkdir()
    for name, text in STORE.items():
        (folder / name).write_text(text)
    return tmp_path


@pytest.fixture
def embedder(fake_api):
    """The embedding model named as in production, pointed at the fake API."""
    url, api = fake_api
    api.answer(EMBEDDINGS, embeddings_response)
    settings = get_settings().model_copy(
        update={
            "embedding_model": "openai:text-embedding-3-small",
            "openai_api_key": "sk-test",
            "openai_base_url": f"{url}/v1",
            "llm_max_retries": 0,
        }
    )
    return build_embedder(settings), api


def _calls(conn) -> list[tuple]:
    return conn.execute(
        "select provider, model, prompt_version, input_tokens, ok, cost_usd > 0"
        " from app.llm_calls order by call_id"
    ).fetchall()


def test_hybrid_search_finds_a_question_worded_unlike_the_passage(vectors, store, embedder):
    model, api = embedder
    import_knowledge(vectors, store)
    embedded_count = embed_passages(vectors, model)
    full_text_only = search(vectors, DIFFERENT_WORDS, "es")
    hybrid = search(vectors, DIFFERENT_WORDS, "es", embedder=model)
    assert embedded_count == 3 and full_text_only == []
    assert [p.title for p in hybrid] == ["Precios"]
    assert [c[2] for c in _calls(vectors)] == ["embedding.passages", "embedding.query"]
    assert _calls(vectors)[1] == (
        "openai",
        "text-embedding-3-small",
        "embedding.query",
        6,
        True,
        True,
    )
    assert api.requests[-1][1]["model"] == "text-embedding-3-small"


def test_full_text_hits_still_rank_in_the_fused_results(vectors, store, embedder):
    model, _ = embedder
    import_knowledge(vectors, store)
    embed_passages(vectors, model)
    found = search(vectors, "¿aceptan yappy?", "es", embedder=model)
    assert found[0].title == "Pagos"
    assert search(vectors, "¿venden bicicletas eléctricas?", "es", embedder=model) == []


def test_personal_data_is_masked_before_it_is_embedded(vectors, store, embedder):
    model, api = embedder
    import_knowledge(vectors, store)
    embed_passages(vectors, model)
    search(
        vectors, "precio? escribanme a ana@example.com o al +507 6123 4567", "es", embedder=model
    )
    sent = api.requests[-1][1]["input"][0]
    assert "[EMAIL]" in sent and "[PHONE]" in sent and "ana@" not in sent


def test_reimporting_embeds_only_new_or_changed_passages(vectors, store, embedder):
    model, api = embedder
    import_knowledge(vectors, store)
    first = embed_passages(vectors, model)
    calls_after_first = len(api.requests)
    import_knowledge(vectors, store)
    unchanged = embed_passages(vectors, model)
    (store / "es" / "pagos.md").write_text("# Tienda\n\n## Pagos\nSolo efectivo y Yappy.\n")
    import_knowledge(vectors, store)
    changed = embed_passages(vectors, model)
    stored = vectors.execute(
        "select count(*), count(distinct model), min(dims) from app.knowledge_embeddings"
    ).fetchone()
    assert (first, unchanged, changed) == (3, 0, 1)
    assert len(api.requests) == calls_after_first + 1  # the unchanged import called nothing
    assert stored == (3, 1, DIMS)


def test_a_failing_embedding_call_falls_back_to_full_text_and_still_answers(
    vectors, store, embedder
):
    model, api = embedder
    import_knowledge(vectors, store)
    embed_passages(vectors, model)
    api.answer(EMBEDDINGS, (500, {"error": {"message": "overloaded", "type": "server_error"}}))
    reply = bot.answer(
        vectors, "¿cuál es el precio de la laptop?", "price_inquiry", "es", embedder=model
    )
    assert reply.citations == ["es/precios.md#precios"] and "749" in reply.text
    assert _calls(vectors)[-1][2:5] == ("embedding.query", None, False)


def test_the_worker_answers_a_differently_worded_question_from_the_passage(
    vectors, vector_url, store, embedder, config
):
    model, _ = embedder
    import_knowledge(vectors, store)
    embed_passages(vectors, model)
    message = whatsapp_text("wamid.v1", "50760000081", DIFFERENT_WORDS)
    land(vector_url, [prepare_delivery(json.dumps(message).encode())])
    processor = Processor(vectors, replace(config, embedder=model))
    while processor.run_once():
        pass
    citations = vectors.execute("select citations from app.outbox").fetchone()[0]
    assert citations == ["es/precios.md#precios"]


def test_without_vectors_for_the_model_search_is_full_text_and_calls_nothing(knowledge, embedder):
    """On the session database: no pgvector there (DATABASE_URL pass) or no passage
    embedded with this model (embedded pass); either way the reply is the full-text one."""
    model, api = embedder
    found = search(knowledge, "¿cuánto cuesta el monitor?", "es", embedder=model)
    assert found == search(knowledge, "¿cuánto cuesta el monitor?", "es")
    assert found and api.requests == []


def test_the_nearest_passage_query_can_use_the_hnsw_index(vectors, store, embedder):
    model, _ = embedder
    import_knowledge(vectors, store)
    embed_passages(vectors, model)
    vectors.execute("set enable_seqscan = off")  # 3 rows: otherwise a scan is cheaper
    query = sql.SQL("explain " + NEAREST_SQL).format(dims=sql.Literal(DIMS))
    params = {"question": str(fake_vector("precio")), "model": model.name, "language": "es"}
    plan = "\n".join(r[0] for r in vectors.execute(query, {**params, "limit": 3}).fetchall())
    assert "ix_knowledge_embeddings_hnsw" in plan


def test_crm_import_knowledge_embeds_with_the_configured_model(vectors, vector_url, fake_api):
    url, api = fake_api
    api.answer(EMBEDDINGS, embeddings_response)
    command = [sys.executable, "-m", "crm.cli", "import", "knowledge", "crm/demo/knowledge"]
    env = {
        **os.environ,
        "DATABASE_URL": vector_url,
        "EMBEDDING_MODEL": "openai:text-embedding-3-small",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": f"{url}/v1",
    }
    runs = [
        subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout.splitlines() == [
        "24 passages from 6 files",
        "24 new or changed passages embedded with openai:text-embedding-3-small",
    ]
    assert runs[1].stdout.splitlines()[1].startswith("0 new or changed")
    assert len(api.requests) == 1  # 24 passages: one batch, and nothing the second time
