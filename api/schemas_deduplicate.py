"""Request and response schemas of `/api/v1/data/deduplicate` (the identity review queue)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

RECORD_ID = Field(
    pattern=r"^[a-z_]+:.+$",
    description="a source identity as `source:source_id`",
    examples=["whatsapp:50761234567", "import:crm-0042"],
)


class Identity(BaseModel):
    record_id: str
    source: str
    source_id: str
    lead_id: str = Field(description="its lead as of the last identity run")


class ReviewPair(BaseModel):
    """Two identities the matcher was unsure about, and why."""

    a: Identity
    b: Identity
    match_probability: float
    match_weight: float = Field(description="log2 odds of a match")
    reasons: list[str] = Field(description="each field's comparison level and its bits")
    scored_at: datetime


class ReviewQueue(BaseModel):
    total: int = Field(description="pairs awaiting a decision in all")
    pairs: list[ReviewPair]


class DecisionIn(BaseModel):
    record_a: str = RECORD_ID
    record_b: str = RECORD_ID
    decision: Literal["accept", "reject"] = Field(
        description="accept: the same person (always merge); reject: never merge"
    )
    decided_by: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class DecisionOut(BaseModel):
    decision_id: int
    record_a: str
    record_b: str
    decision: Literal["accept", "reject"]
    decided_by: str | None
    note: str | None
    decided_at: datetime
    applies: str = "from the next identity run on; it overrides the matcher on every run"
