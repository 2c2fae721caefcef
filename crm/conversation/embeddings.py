"""Text embeddings for semantic retrieval, through the official OpenAI SDK.

`EMBEDDING_MODEL` names the model as `provider:model` (`openai:text-embedding-3-small`);
unset, retrieval stays full-text only. The SDK honours `OPENAI_BASE_URL` (any
OpenAI-compatible gateway) and retries 429 / 5xx / timeouts with exponential backoff
(`LLM_MAX_RETRIES` times, `LLM_TIMEOUT_S` per attempt). Text is PII-masked before it
leaves, and every call is a row of `app.llm_calls` (prompt_version `embedding.<purpose>`)
with its tokens and cost, as chat calls are.
"""

from __future__ import annotations

import logging
import time

import psycopg

from crm.conversation.llm import LLMResult, record_call
from crm.conversation.pii import mask
from crm.settings import Settings

log = logging.getLogger(__name__)
PROVIDERS = ("openai",)


class EmbeddingUnavailable(Exception):
    """The embedding call failed (after the SDK's retries) or answered something unusable."""


class Embedder:
    """One embedding model; `name` (`provider:model`) is what stored vectors are keyed by,
    `min_similarity` the cosine below which a passage does not count as relevant."""

    def __init__(
        self,
        name: str,
        api_key: str,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        min_similarity: float = 0.3,
    ) -> None:
        import openai  # here, not at import time: the API starts without the SDK loaded

        self.name, self.min_similarity = name, min_similarity
        self.provider, _, self.model = name.partition(":")
        self._client = openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        self._failures = (openai.OpenAIError, ValueError)

    def embed(self, conn: psycopg.Connection, texts: list[str], purpose: str) -> list[list[float]]:
        """One vector per text, in order; the call is recorded on `conn`."""
        started, label = time.perf_counter(), f"embedding.{purpose}"
        try:
            response = self._client.embeddings.create(
                model=self.model, input=[mask(t) for t in texts], encoding_format="float"
            )
            vectors = [item.embedding for item in sorted(response.data, key=lambda d: d.index)]
            if len(vectors) != len(texts) or not all(vectors):
                raise ValueError(f"{len(vectors)} vectors for {len(texts)} texts")
        except self._failures as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            record_call(conn, self.provider, self.model, label, started, error=error)
            raise EmbeddingUnavailable(error) from exc
        tokens = response.usage.prompt_tokens if response.usage else 0
        result = LLMResult("", self.provider, self.model, tokens, 0)
        record_call(conn, self.provider, self.model, label, started, result=result)
        return vectors


def build_embedder(settings: Settings) -> Embedder | None:
    """The configured embedding model, or None (full-text retrieval) with the reason logged."""
    name = settings.embedding_model
    if not name:
        return None
    provider, _, model = name.partition(":")
    if provider not in PROVIDERS or not model:
        log.warning("EMBEDDING_MODEL=%r is not openai:<model>; retrieval is full-text only", name)
        return None
    if not settings.openai_api_key:
        log.warning("EMBEDDING_MODEL is set but OPENAI_API_KEY is not; retrieval is full-text only")
        return None
    return Embedder(
        name,
        settings.openai_api_key,
        settings.openai_base_url,
        settings.llm_timeout_s,
        settings.llm_max_retries,
        settings.embedding_min_similarity,
    )
