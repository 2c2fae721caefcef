"""LLM replies behind one interface: adapters, a factory, a fallback chain, accounting.

`build_chain` reads the settings: with `OPENAI_API_KEY` and/or `ANTHROPIC_API_KEY` it
builds the chain primary → other (the local template answer is the last resort, applied
by the caller when the chain returns None). Each call is written to `app.llm_calls` with
tokens, cost and outcome; personal data is masked before text leaves; prompts are files
under `prompts/` named `<name>.<version>.md`, the version recorded with each call.
`LLMChain.structured` is the same chain for calls answered by one validated JSON object
(the text classifier, `llm_classify.py`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import psycopg

from crm.conversation.knowledge import Passage
from crm.conversation.pii import mask
from crm.settings import Settings

log = logging.getLogger(__name__)
PROMPTS = Path(__file__).resolve().parent / "prompts"
LANGUAGE_NAMES = {"es": "Spanish", "en": "English"}
# USD per million tokens (input, output), from the providers' public price lists
PRICES = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "claude-3-5-haiku-latest": (0.80, 4.00),
    "claude-sonnet-4-5": (3.00, 15.00),
    "text-embedding-3-small": (0.02, 0.0),
    "text-embedding-3-large": (0.13, 0.0),
}


@dataclass(frozen=True)
class LLMResult:
    text: str
    provider: str
    model: str
    input_tokens: int
    output_tokens: int

    @property
    def cost_usd(self) -> float:
        per_in, per_out = PRICES.get(self.model, (0.0, 0.0))
        return (self.input_tokens * per_in + self.output_tokens * per_out) / 1_000_000


@dataclass(frozen=True)
class StructuredOutput:
    """The JSON object a structured call must answer with: OpenAI's `json_schema`
    response format, Anthropic's forced tool."""

    name: str
    description: str
    schema: dict[str, Any]


class ChatAdapter(Protocol):
    """One provider's chat API, through its official SDK."""

    provider: str
    model: str

    def complete(self, system: str, messages: list[dict[str, str]]) -> LLMResult: ...

    def structured(
        self, system: str, messages: list[dict[str, str]], output: StructuredOutput
    ) -> LLMResult:
        """A call answered by one JSON object shaped by `output.schema` (as `text`)."""
        ...


T = TypeVar("T")


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What the chain got: the accepted value and the call that gave it (None when every
    adapter failed), and why each adapter before it failed."""

    value: T | None
    result: LLMResult | None
    failures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    template: str

    @classmethod
    def load(cls, name: str, version: str) -> Prompt:
        return cls(name, version, (PROMPTS / f"{name}.{version}.md").read_text())


def _passages_block(passages: list[Passage]) -> str:
    return "\n".join(f"[P{i}] {p.title}: {p.body}" for i, p in enumerate(passages, start=1))


def record_call(
    conn: psycopg.Connection,
    provider: str,
    model: str,
    prompt_version: str,
    started: float,
    result: LLMResult | None = None,
    error: str | None = None,
) -> None:
    """One row of `app.llm_calls`: tokens, cost, latency since `started`, outcome."""
    conn.execute(
        "insert into app.llm_calls (provider, model, prompt_version, input_tokens,"
        " output_tokens, cost_usd, latency_ms, ok, error)"
        " values (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            provider,
            model,
            prompt_version,
            result.input_tokens if result else None,
            result.output_tokens if result else None,
            result.cost_usd if result else None,
            int((time.perf_counter() - started) * 1000),
            error is None,  # an answer that failed validation costs tokens and is not ok
            error,
        ),
    )


def _record(conn, adapter: ChatAdapter, prompt: Prompt, started: float, result=None, error=None):
    version = f"{prompt.name}.{prompt.version}"
    record_call(conn, adapter.provider, adapter.model, version, started, result, error)


class LLMChain:
    """Tries each adapter in turn; None when all fail (the caller answers locally)."""

    def __init__(self, adapters: list[ChatAdapter], prompt: Prompt) -> None:
        self.adapters, self.prompt = adapters, prompt

    def reply(
        self,
        conn: psycopg.Connection,
        text: str,
        language: str,
        passages: list[Passage],
        history: list[dict[str, str]],
    ) -> LLMResult | None:
        system = self.prompt.template.format(
            language_name=LANGUAGE_NAMES.get(language, "Spanish"),
            passages=_passages_block(passages),
        )
        messages = [{"role": m["role"], "content": mask(m["content"])} for m in history[-6:]]
        messages.append({"role": "user", "content": mask(text)})
        return self._first(conn, lambda a: a.complete(system, messages), lambda r: r).result

    def structured(
        self,
        conn: psycopg.Connection,
        text: str,
        output: StructuredOutput,
        parse: Callable[[str], T],
    ) -> Attempt[T]:
        """The prompt as system, the masked `text` as the user's message, one JSON object
        back; `parse` validates it (raising ValueError moves on to the next adapter)."""
        messages = [{"role": "user", "content": mask(text)}]
        system = self.prompt.template
        return self._first(
            conn, lambda a: a.structured(system, messages, output), lambda r: parse(r.text)
        )

    def _first(
        self,
        conn: psycopg.Connection,
        call: Callable[[ChatAdapter], LLMResult],
        accept: Callable[[LLMResult], T],
    ) -> Attempt[T]:
        """The first adapter whose answer `accept` takes; every call recorded."""
        failures: list[str] = []
        for adapter in self.adapters:
            started, result = time.perf_counter(), None
            try:
                result = call(adapter)
                value = accept(result)
            except Exception as exc:  # any provider failure or bad answer moves down the chain
                log.warning("%s failed, falling back: %s", adapter.provider, exc)
                _record(conn, adapter, self.prompt, started, result, error=str(exc)[:500])
                failures.append(f"{adapter.provider}: {exc}"[:500])
                continue
            _record(conn, adapter, self.prompt, started, result=result)
            return Attempt(value, result, tuple(failures))
        return Attempt(None, None, tuple(failures))


def build_chain(settings: Settings, prompt: Prompt | None = None) -> LLMChain | None:
    """The configured providers, the preferred one first, with `prompt` (default: the
    reply prompt); None without any key."""
    if not (settings.openai_api_key or settings.anthropic_api_key):
        return None  # before the SDKs' import: seconds a keyless process never needs
    from crm.conversation.llm_providers import AnthropicAdapter, OpenAIAdapter

    options = {"timeout": settings.llm_timeout_s, "max_retries": settings.llm_max_retries}
    available: dict[str, ChatAdapter] = {}
    if settings.openai_api_key:
        available["openai"] = OpenAIAdapter(
            settings.openai_api_key, settings.openai_model, settings.openai_base_url, **options
        )
    if settings.anthropic_api_key:
        available["anthropic"] = AnthropicAdapter(
            settings.anthropic_api_key,
            settings.anthropic_model,
            settings.anthropic_base_url,
            **options,
        )
    if not available:
        return None
    first = settings.llm_provider if settings.llm_provider in available else next(iter(available))
    ordered = [available[first], *(a for name, a in available.items() if name != first)]
    return LLMChain(ordered, prompt or Prompt.load("reply", "v1"))
