"""Intent and sentiment from an LLM, behind the same interface as the local models.

One structured call per message answers both (`intent`, `confidence`, `sentiment_score`,
validated: the intent one of the 11, numbers clamped), through the reply chain's adapters
and accounting (`LLMChain.structured`: primary provider, then the other, each call in
`app.llm_calls`, personal data masked). When every provider fails (timeout, error, an
answer that fails validation) the local models answer, and the result says so. Answers
are cached per text, so `intent()` then `sentiment()` of one message cost one call.
Chosen with `CONVERSATION_TEXT_MODELS=llm`; without an LLM key that means the local models.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import psycopg

from crm.conversation.llm import Attempt, LLMChain, Prompt, StructuredOutput, build_chain
from crm.conversation.understanding import sentiment_label
from crm.database import database_url
from crm.settings import Settings
from ml.intents import INTENTS
from ml.serving import TextModels as LocalModels
from ml.text.teacher import TeacherLabel

log = logging.getLogger(__name__)
PROMPT = ("classify", "v1")
LOCAL = "local"
CACHE_SIZE = 1024  # recent texts: the engine and the API ask intent, then sentiment
CLASSIFICATION = StructuredOutput(
    name="classify_message",
    description="The intent and sentiment of one customer chat message.",
    schema={
        "type": "object",
        "properties": {
            "intent": {"type": "string", "enum": list(INTENTS), "description": "the intent"},
            "confidence": {"type": "number", "description": "0 to 1: how sure of the intent"},
            "sentiment_score": {"type": "number", "description": "-1 negative .. 1 positive"},
        },
        "required": ["intent", "confidence", "sentiment_score"],
        "additionalProperties": False,
    },
)


@dataclass(frozen=True)
class Classification:
    """What a message says and who said so: `source` is `llm:<provider>:<model>` or
    `local`; `reason` says why the LLM did not answer (None when it did)."""

    intent: str
    confidence: float
    score: float
    label: str
    source: str
    prompt_version: str | None = None
    reason: str | None = None


def parse(text: str) -> tuple[str, float, float]:
    """The LLM's JSON as (intent, confidence, sentiment score); ValueError if it is not
    one of the 11 intents with numbers (these are clamped to 0..1 and -1..1)."""
    try:
        found = json.loads(text)
        intent, confidence, score = (found[k] for k in CLASSIFICATION.schema["required"])
    except (ValueError, TypeError, KeyError) as exc:
        raise ValueError(f"invalid output: not the classification object: {text[:200]!r}") from exc
    if intent not in INTENTS:
        raise ValueError(f"invalid output: intent {intent!r} is not one of the 11")
    numbers = (confidence, score)
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        raise ValueError(
            f"invalid output: confidence and sentiment_score must be numbers: {text!r}"
        )
    return intent, min(1.0, max(0.0, float(confidence))), min(1.0, max(-1.0, float(score)))


def ask_llm(chain: LLMChain, conn: psycopg.Connection, text: str) -> Attempt[tuple]:
    """One classification call down the chain (recorded on `conn`)."""
    return chain.structured(conn, text, CLASSIFICATION, parse)


def from_llm(attempt: Attempt[tuple], prompt: Prompt) -> Classification | None:
    """The LLM's answer as a classification; None when no provider answered."""
    if attempt.value is None or attempt.result is None:
        return None
    intent, confidence, score = attempt.value
    source = f"llm:{attempt.result.provider}:{attempt.result.model}"
    version = f"{prompt.name}.{prompt.version}"
    return Classification(intent, confidence, score, sentiment_label(score), source, version)


class LLMTextModels:
    """The LLM first, the local models when it fails; the `TextModels` interface plus
    `classify()` (which also says who answered). Thread-safe, as the API needs."""

    def __init__(self, chain: LLMChain, local: LocalModels) -> None:
        self.chain, self.local = chain, local
        self.classify = lru_cache(maxsize=CACHE_SIZE)(self._classify)

    def intent(self, text: str) -> tuple[str, float]:
        found = self.classify(text)
        return found.intent, found.confidence

    def sentiment(self, text: str) -> tuple[float, str]:
        found = self.classify(text)
        return found.score, found.label

    def classify_many(self, texts: list[str]) -> list[tuple[str, float, float, str]]:
        """One LLM call per message (each cached): providers take one message a call."""
        return [(c.intent, c.confidence, c.score, c.label) for c in map(self.classify, texts)]

    def versions(self) -> dict[str, str | None]:
        """The local champions' versions (what answers when the LLM cannot)."""
        return self.local.versions()

    def load_champions(self) -> None:
        self.local.load_champions()

    def warm(self) -> None:
        self.local.warm()

    def _classify(self, text: str) -> Classification:
        """The LLM's answer, else the local models' with the reason."""
        try:
            with psycopg.connect(database_url(), autocommit=True) as conn:
                attempt = ask_llm(self.chain, conn, text)
        except psycopg.Error as exc:  # no accounting, no call: the local models answer
            attempt = Attempt(None, None, (f"app.llm_calls unavailable: {exc}",))
        found = from_llm(attempt, self.chain.prompt)
        if found is not None:
            return found
        reason = "; ".join(attempt.failures) or "no LLM answered"
        log.warning("LLM classification failed, local models answer: %s", reason)
        intent, confidence = self.local.intent(text)
        score, label = self.local.sentiment(text)
        return Classification(intent, confidence, score, label, LOCAL, reason=reason)


def classify_chain(settings: Settings) -> LLMChain | None:
    """The providers configured, with the classification prompt; None without a key."""
    return build_chain(settings, Prompt.load(*PROMPT))


@lru_cache
def _warn_no_key() -> None:
    log.warning(
        "CONVERSATION_TEXT_MODELS=llm but neither OPENAI_API_KEY nor ANTHROPIC_API_KEY is "
        "set: the local models answer"
    )


def llm_or_local(local: LocalModels, settings: Settings) -> LLMTextModels | LocalModels:
    """`local` behind the LLM classifier when an LLM key is set; else `local` (one
    warning per process)."""
    chain = classify_chain(settings)
    if chain is None:
        _warn_no_key()
        return local
    return LLMTextModels(chain, local)


def llm_teacher(chain: LLMChain, conn: psycopg.Connection) -> Callable[[str], TeacherLabel | None]:
    """The LLM alone as a labeller for `crm ml teach`: no local fallback, since a teacher's
    labels must be its own (None when no provider answered)."""

    def label(text: str) -> TeacherLabel | None:
        attempt = ask_llm(chain, conn, text)
        found = from_llm(attempt, chain.prompt)
        if found is None or attempt.result is None or found.prompt_version is None:
            return None
        provider, model = attempt.result.provider, attempt.result.model
        scores = (found.intent, found.confidence, found.score, found.label)
        return TeacherLabel(*scores, provider, model, found.prompt_version)

    return label
