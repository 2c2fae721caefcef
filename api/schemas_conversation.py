"""Request and response schemas of the conversation endpoints: routing, chatbot,
escalation, follow-ups and case closure (shown in the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from ml.intents import INTENTS

Intent = Literal[INTENTS]  # type: ignore[valid-type]


class RouteRequest(BaseModel):
    message: str | None = Field(default=None, description="classified when intent is omitted")
    intent: Intent | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    sentiment: float | None = Field(default=None, ge=-1, le=1)
    lead_tier: Literal["hot", "warm", "cold"] | None = None
    low_confidence_streak: int = Field(default=0, ge=0, description="low-confidence turns so far")
    bot_paused: bool = Field(default=False, description="a human already owns the conversation")
    at: datetime | None = Field(default=None, description="when (business hours); default now")


class RouteResponse(BaseModel):
    route: Literal["bot", "sales", "support", "billing", "human"]
    priority: Literal["low", "normal", "high", "urgent"]
    escalate: bool
    agents_available: bool
    reasons: list[str]
    intent: str
    confidence: float
    sentiment: float


class ChatContext(BaseModel):
    conversation_history: list[dict[str, str]] = Field(
        default_factory=list, description='[{"role": "user" | "assistant", "content": "..."}]'
    )
    language: Literal["es", "en"] | None = None


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, examples=["Hola, busco una laptop"])
    context: ChatContext = Field(default_factory=ChatContext)


class Citation(BaseModel):
    passage_id: str


class ChatResponse(BaseModel):
    reply: str
    language: str
    intent: str
    confidence: float
    citations: list[Citation]
    offer_human: bool = Field(description="nothing relevant was found: a person is offered")
    source: str = Field(description="local, openai or anthropic")


class EscalateRequest(BaseModel):
    conversation_id: int | None = None
    channel: Literal["whatsapp", "instagram", "messenger"] | None = None
    person_id: str | None = Field(default=None, description="the customer's channel id")
    reason: str = Field(min_length=1, examples=["customer asked for a manager"])


class EscalateResponse(BaseModel):
    handoff_id: int
    conversation_id: int
    created: bool = Field(description="false when a handoff was already open")
    bot_paused: bool
    summary: str


class ResolveRequest(BaseModel):
    handoff_id: int | None = Field(default=None, description="this handoff; or give:")
    conversation_id: int | None = Field(
        default=None, description="the conversation's open handoff (else its latest)"
    )
    resolution: str = Field(
        min_length=1, max_length=2000, examples=["refund issued, customer satisfied"]
    )
    agent: str = Field(min_length=1, max_length=200, description="who resolved it")
    resume_bot: bool = Field(
        default=True, description="give the conversation back to the bot (false: keep it)"
    )


class HandoffOut(BaseModel):
    handoff_id: int
    conversation_id: int
    lead_id: str
    reason: str
    summary: str
    source: str = Field(description="auto or api")
    status: Literal["open", "resolved"]
    created_at: datetime
    notify_status: str = Field(description="pending, sent, failed, or cancelled")
    resolved_at: datetime | None
    resolution: str | None
    resolved_by: str | None
    bot_paused: bool = Field(description="the conversation's bot is paused now")


class ResolveResponse(HandoffOut):
    changed: bool = Field(description="false when the handoff was already resolved")


class HandoffPage(BaseModel):
    items: list[HandoffOut]
    total: int
    limit: int
    offset: int


class FollowUpItem(BaseModel):
    conversation_id: int
    lead_id: str
    channel: str
    kind: str | None
    reason: str


class FollowUpsResponse(BaseModel):
    queued: int
    items: list[FollowUpItem]


class ClosureRequest(BaseModel):
    conversation_id: int | None = Field(
        default=None, description="one conversation; omitted: every open case is evaluated"
    )
    message: str | None = Field(default=None, description="a message to judge on its own")


class ClosureItem(BaseModel):
    case_id: int | None
    action: str
    reason: str | None


class ClosureResponse(BaseModel):
    closing_signal: str | None = None
    cases: list[ClosureItem]
