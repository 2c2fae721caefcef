"""Request and response schemas of `POST /data/enrich` (shown in the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EnrichRecord(BaseModel):
    """A person described by hand: raw values, cleaned by the hygiene rules first."""

    model_config = ConfigDict(extra="forbid")

    phone: str | int | None = Field(default=None, examples=["+507 6123-4567"])
    email: str | None = Field(default=None, examples=["ana@grupo-alfa.com.mx"])
    country: str | None = Field(default=None, description="a name in any language, or a code")
    company: str | None = None
    messages: list[str] = Field(
        default_factory=list, max_length=200, description="the person's own messages"
    )


class EnrichRequest(BaseModel):
    """Exactly one of `lead_id` (a lead in the marts) or `record`."""

    model_config = ConfigDict(extra="forbid")

    lead_id: str | None = Field(default=None, min_length=1, max_length=200)
    record: EnrichRecord | None = None
    default_region: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z]{2}$",
        description="region for a national phone number when the record has no country",
    )


class ContactHoursOut(BaseModel):
    time_zone: str
    utc_offset: str = Field(description="+HH:MM now")
    window_utc: str = Field(description="09:00-18:00 local, written in UTC")
    local_time: datetime
    open_now: bool
    next_open_at: datetime = Field(description="now when open, else the next opening (UTC)")


class EnrichmentOut(BaseModel):
    country_code: str | None = None
    phone_region_name: str | None = None
    time_zone: str | None = None
    phone_line_type: str | None = None
    phone_carrier: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    language_basis: str | None = Field(default=None, description="messages or country")
    inbound_message_count: int = 0
    email_domain: str | None = None
    email_domain_type: str | None = Field(default=None, description="free or corporate")
    company: str | None = None
    first_touch_channel: str | None = None
    first_touch_at: datetime | None = None
    last_touch_channel: str | None = None
    last_touch_at: datetime | None = None
    contact_hours: ContactHoursOut | None = None


class EnrichResponse(BaseModel):
    lead_id: str | None = None
    enrichment: EnrichmentOut
    providers: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="answers of the configured optional providers"
    )
