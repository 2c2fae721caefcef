"""Request and response schemas of the content endpoints: generate, publish, schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, HttpUrl

Channel = Literal["instagram", "facebook"]


class CampaignIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["Black Friday"])
    goal: Literal["launch", "promotion", "awareness", "engagement"] = "promotion"
    language: Literal["es", "en"] = "es"
    tone: Literal["friendly", "professional", "playful"] = "friendly"
    product: str | None = Field(
        default=None, description="a product of the knowledge base; default: the best seller"
    )


class GenerateRequest(BaseModel):
    campaign: CampaignIn
    channels: list[Channel] = Field(default=["instagram", "facebook"], min_length=1)
    image_url: HttpUrl | None = Field(
        default=None, description="public image (JPEG); required for Instagram"
    )
    link: HttpUrl | None = Field(default=None, description="shared with the Facebook post")
    idempotency_key: str | None = Field(default=None, max_length=200)


class PostOut(BaseModel):
    post_id: int
    channel: Channel
    status: Literal["draft", "scheduled", "published", "failed"]
    campaign: str
    language: str
    product: str | None
    caption: str
    caption_length: int
    hashtags: list[str]
    call_to_action: str | None
    generator: str
    image_url: str | None
    link: str | None
    scheduled_for: datetime | None
    schedule_basis: dict[str, Any] | None
    published_at: datetime | None
    dry_run: bool
    provider_post_id: str | None
    request: list[dict[str, Any]] | None = Field(description="Graph API calls made or planned")
    last_error: str | None

    @classmethod
    def from_row(cls, row: dict) -> PostOut:
        return cls(**{**row, "caption_length": len(row["caption"])})


class GeneratedPost(PostOut):
    created: bool = Field(description="false when the idempotency key had a post already")


class GenerateResponse(BaseModel):
    posts: list[GeneratedPost]


class PublishRequest(BaseModel):
    post_id: int = Field(ge=1)


class ScheduleRequest(BaseModel):
    post_id: int = Field(ge=1)
    at: datetime | None = Field(
        default=None, description="when to publish (with a UTC offset); default: the best hour"
    )
