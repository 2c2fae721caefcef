"""The bot's answer to one message: retrieve passages (hybrid with an embedder), then
phrase them.

With an LLM configured the passages, the recent history and the (PII-masked) message go
to the fallback chain; its answer is kept only if it is grounded (every figure it states
is in the passages), else the local template answer is used. Without an LLM, the local
answer is the answer. Either way the reply cites the passages it drew on.
"""

from __future__ import annotations

import psycopg

from crm.conversation import knowledge
from crm.conversation.embeddings import Embedder
from crm.conversation.llm import LLMChain
from crm.conversation.replies import Reply, answer_locally, grounded


def answer(
    conn: psycopg.Connection,
    text: str,
    intent: str,
    language: str,
    history: list[dict[str, str]] | None = None,
    queue: str | None = None,
    llm: LLMChain | None = None,
    embedder: Embedder | None = None,
) -> Reply:
    """A grounded reply in the customer's language, citing the passages used."""
    passages = knowledge.search(conn, text, language, embedder=embedder)
    local = answer_locally(intent, language, passages, queue)
    if llm is None or not passages or local.offer_human:
        return local
    result = llm.reply(conn, text, language, passages, history or [])
    if result is None or not grounded(result.text, passages):
        return local
    return Reply(result.text, [p.passage_id for p in passages], source=result.provider)
