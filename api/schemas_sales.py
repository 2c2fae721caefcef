"""Request and response schemas of `POST /sales/close` (the AI closer, flow 11)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

Channel = Literal["whatsapp", "instagram", "messenger"]


class CloseRequest(BaseModel):
    conversation_id: int | None = Field(default=None, ge=1)
    channel: Channel | None = None
    person_id: str | None = Field(default=None, min_length=1, description="wa_id, IGSID, PSID")
    message: str | None = Field(
        default=None, min_length=1, description="the latest customer message, if not landed yet"
    )
    product: str | None = Field(default=None, description="default: found in the knowledge base")
    deal_value: float | None = Field(
        default=None, ge=0, description="default: quantity asked x the product's price"
    )

    @model_validator(mode="after")
    def _one_conversation(self) -> CloseRequest:
        if self.conversation_id is None and not (self.channel and self.person_id):
            raise ValueError("give conversation_id, or channel and person_id")
        return self


class ObjectionOut(BaseModel):
    kind: Literal["price", "timing", "trust", "competitor", "need"]
    confidence: float
    count: int = Field(description="recent messages that raised it")


class OfferOut(BaseModel):
    offer_id: int
    discount_percent: float
    limit_source: str = Field(description="segment:<rfm segment>, tier:<lead tier> or unknown")
    expires_at: str


class CloseResponse(BaseModel):
    conversation_id: int
    lead_id: str
    language: str
    objections: list[ObjectionOut]
    answer: str = Field(description="the message queued (empty when nothing may be sent)")
    citations: list[str] = Field(description="knowledge passage ids the answer quotes")
    offer: OfferOut | None
    checkout_url: str | None
    deal_value: float | None
    handed_off: bool
    handoff_reason: str | None
    queued: bool
    outbox_id: int | None
    not_queued_reason: str | None
    idempotency_key: str
    replayed: bool = Field(description="this decision was already taken by an earlier call")
