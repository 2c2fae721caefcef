"""Knowledge passages as vectors in pgvector: embedding them, and the passages nearest a
question.

Vectors live in `app.knowledge_embeddings`, one per passage per model, with the md5 of
the text embedded: re-importing a folder re-embeds only the passages whose text changed.
The table exists only where the server has pgvector; without it, or without vectors for
the configured model, or when the embedding call fails, `question_vector` says None and
search stays full-text (the reason logged once per kind, never an error to the customer).
"""

from __future__ import annotations

import logging

import psycopg
from psycopg import sql

from crm.conversation.embeddings import Embedder, EmbeddingUnavailable
from crm.conversation.knowledge import Passage

log = logging.getLogger(__name__)
BATCH = 64
_logged: set[str] = set()

PENDING_SQL = """
select p.passage_id, p.title || chr(10) || p.body
from app.knowledge_passages p
left join app.knowledge_embeddings e on e.passage_id = p.passage_id and e.model = %s
where e.content_hash is distinct from md5(p.title || chr(10) || p.body)
order by p.passage_id
"""

UPSERT_SQL = """
insert into app.knowledge_embeddings (passage_id, model, dims, embedding, content_hash)
values (%s, %s, %s, %s::vector, md5(%s))
on conflict (passage_id, model) do update set dims = excluded.dims,
    embedding = excluded.embedding, content_hash = excluded.content_hash, embedded_at = now()
"""

NEAREST_SQL = """
select p.passage_id, p.title, p.language, p.body, p.source_path,
       1 - (e.embedding::vector({dims}) <=> %(question)s::vector({dims})) as similarity
from app.knowledge_embeddings e
join app.knowledge_passages p on p.passage_id = e.passage_id
where e.model = %(model)s and e.dims = {dims} and p.language = %(language)s
order by e.embedding::vector({dims}) <=> %(question)s::vector({dims}), p.passage_id
limit %(limit)s
"""


def _literal(vector: list[float]) -> str:
    return "[" + ",".join(repr(float(x)) for x in vector) + "]"


def _fall_back(kind: str, why: str) -> None:
    if kind not in _logged:
        _logged.add(kind)
        log.warning("semantic retrieval off, full-text search only: %s", why)


def vectors_supported(conn: psycopg.Connection) -> bool:
    """Whether this database has the embeddings table (i.e. pgvector was available)."""
    row = conn.execute("select to_regclass('app.knowledge_embeddings') is not null").fetchone()
    return bool(row and row[0])


def embed_passages(conn: psycopg.Connection, embedder: Embedder, batch: int = BATCH) -> int:
    """Embed the passages that have no vector for this model or whose text changed, in
    batches committed one by one (a failure keeps the finished ones); how many were."""
    if not vectors_supported(conn):
        _fall_back("no_extension", "the database has no pgvector extension")
        return 0
    pending = conn.execute(PENDING_SQL, (embedder.name,)).fetchall()
    done = 0
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        vectors = embedder.embed(conn, [text for _, text in chunk], "passages")
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                UPSERT_SQL,
                [
                    (passage_id, embedder.name, len(vector), _literal(vector), text)
                    for (passage_id, text), vector in zip(chunk, vectors, strict=True)
                ],
            )
        done += len(chunk)
    return done


def question_vector(conn: psycopg.Connection, embedder: Embedder, text: str) -> list[float] | None:
    """The question's vector, or None when semantic search cannot help (reason logged)."""
    if not vectors_supported(conn):
        _fall_back("no_extension", "the database has no pgvector extension")
        return None
    stored = conn.execute(
        "select exists (select 1 from app.knowledge_embeddings where model = %s)",
        (embedder.name,),
    ).fetchone()
    if not stored[0]:
        _fall_back("no_vectors", f"no passage is embedded with {embedder.name} (re-import)")
        return None
    try:
        return embedder.embed(conn, [text], "query")[0]
    except EmbeddingUnavailable as exc:
        _fall_back("call_failed", f"the embedding call failed ({exc}); later failures not logged")
        return None


def nearest(
    conn: psycopg.Connection, embedder: Embedder, vector: list[float], language: str, limit: int
) -> list[Passage]:
    """The passages in `language` closest to `vector` above the model's similarity floor,
    nearest first (rank = cosine similarity); [] if the query fails."""
    query = sql.SQL(NEAREST_SQL).format(dims=sql.Literal(len(vector)))
    params = {
        "question": _literal(vector),
        "model": embedder.name,
        "language": language,
        "limit": limit,
    }
    try:
        with conn.transaction():  # a savepoint: a failure here never aborts the reply
            rows = conn.execute(query, params).fetchall()
    except psycopg.Error as exc:
        _fall_back("query_failed", f"the vector query failed: {exc}")
        return []
    return [Passage(*row) for row in rows if row[5] >= embedder.min_similarity]
