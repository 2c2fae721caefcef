"""Request and response schemas of the text-model endpoints (intent, sentiment)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from ml.intents import INTENTS

MAX_MESSAGE_CHARS = 4000

Intent = Literal[INTENTS]  # type: ignore[valid-type]


class MessageIn(BaseModel):
    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_MESSAGE_CHARS)
    ] = Field(description="one chat message, Spanish or English", examples=["q precio tiene"])


class ModelUsed(BaseModel):
    name: str = Field(examples=["crm-intent", "llm:openai:gpt-4o-mini"])
    version: str | None = Field(
        description="the registry's champion version (null while no champion exists and the "
        "model trained on the project's corpus at start-up answers); for an LLM, the prompt "
        "version"
    )


SOURCE = Field(
    default="local",
    description="who answered: `local` (the model above) or `llm:<provider>:<model>` "
    "(CONVERSATION_TEXT_MODELS=llm with a key; the local model answers when the LLM fails)",
    examples=["local", "llm:anthropic:claude-3-5-haiku-latest"],
)


class IntentOut(BaseModel):
    intent: Intent
    confidence: float = Field(ge=0, le=1, description="the model's probability of that intent")
    model: ModelUsed
    source: str = SOURCE


class SentimentOut(BaseModel):
    score: float = Field(ge=-1, le=1, description="-1 negative .. 0 neutral .. +1 positive")
    label: Literal["negative", "neutral", "positive"]
    model: ModelUsed
    source: str = SOURCE
