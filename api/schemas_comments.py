"""Request and response schemas of `POST /comments/respond` (flow 17)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator


class CommentRequest(BaseModel):
    event_row_id: int | None = Field(
        default=None, ge=1, description="a landed comment: raw.channel_events.id"
    )
    channel: Literal["instagram", "facebook", "messenger"] | None = Field(
        default=None, description="facebook and messenger both mean a Facebook Page"
    )
    comment_id: str | None = Field(default=None, min_length=1)
    text: str | None = None
    author_id: str | None = Field(default=None, min_length=1, description="IGSID / user id")
    author_name: str | None = None
    post_id: str | None = None
    page_id: str | None = Field(
        default=None, description="our Page / IG account id (its comments are never answered)"
    )
    created_at: datetime | None = Field(default=None, description="default: now")

    @model_validator(mode="after")
    def _one_comment(self) -> CommentRequest:
        if self.event_row_id is None and not (self.channel and self.comment_id):
            raise ValueError("give event_row_id, or channel and comment_id")
        return self


class CommentAction(BaseModel):
    kind: Literal["comment_reply", "private_reply", "hide_comment"]
    outbox_id: int | None
    reason: str | None = Field(description="why nothing was queued, when nothing was")


class OutboxRow(BaseModel):
    outbox_id: int
    kind: str
    status: str
    recipient_id: str
    idempotency_key: str
    body: dict[str, Any]


class CommentResponse(BaseModel):
    channel: str
    comment_id: str
    label: Literal["spam", "complaint", "buying", "question", "praise", "other", "own"]
    confidence: float
    private: bool = Field(description="answered by private reply rather than in public")
    lead_id: str | None
    handoff_id: int | None
    actions: list[CommentAction]
    outbox: list[OutboxRow]
    replayed: bool = Field(description="this comment was already handled")
