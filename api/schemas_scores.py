"""Request and response bodies of `leads/classify` and `predictions/close-probability`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class SenderMetadata(BaseModel):
    """Who wrote: any of name, phone (any spelling) and e-mail; used to find the lead."""

    name: str | None = None
    phone: str | None = None
    email: str | None = None


class ClassifyIn(BaseModel):
    message: str = Field(min_length=1, max_length=4096, examples=["Necesito 500 unidades urgente"])
    sender_metadata: SenderMetadata = Field(default_factory=SenderMetadata)


class Reason(BaseModel):
    """One feature's push on the score: log-odds for the model, probability for the prior."""

    feature: str
    value: float
    effect: float


class LeadMatch(BaseModel):
    """The lead the sender is: found in the marts by phone / e-mail, else a new key."""

    lead_id: str
    created: bool = Field(description="true: no lead matched; lead_id is the key it will get")
    matched_by: str | None = Field(description="phone or email; null when created")


class ClassifyOut(BaseModel):
    score: int = Field(ge=0, le=100)
    tier: str
    probability: float
    score_source: str = Field(description="model (crm-lead-score champion) or prior (rules)")
    model_version: str | None
    intent: str | None
    intent_confidence: float | None
    reasons: list[Reason]
    lead: LeadMatch


class CloseProbabilityIn(BaseModel):
    """One of: an open conversation, a lead (its best open conversation), or raw features."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"lead_id": "3f2a..."}]})

    conversation_id: str | None = None
    lead_id: str | None = None
    features: dict[str, float | None] | None = Field(
        default=None, description="deal features by name (see ml.close_probability.features)"
    )


class CloseProbabilityOut(BaseModel):
    close_probability: float = Field(ge=0, le=1)
    conversation_id: str | None
    lead_id: str | None
    model_version: str
    reasons: list[Reason]
    features: dict[str, Any]
