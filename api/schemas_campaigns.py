"""Request and response bodies of the campaign endpoints (nurturing, cart recovery)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CampaignRunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dry_run: bool = Field(default=False, description="report what would happen, change nothing")
    sequences: list[str] | None = Field(
        default=None, description="run only these sequences (default: every one of the flow)"
    )


class SequenceCounts(BaseModel):
    sequence: str
    enrolled: int
    held_out: int = Field(description="of the enrolled, how many joined the hold-out group")
    sent: int
    skipped: int
    completed: int
    exited: dict[str, int] = Field(description="exits by reason: replied, purchased, opted_out")


class LeadAction(BaseModel):
    sequence: str
    lead_id: str
    subject: str = Field(description="the lead id (nurturing) or the cart's checkout token")
    group: str = Field(description="treatment or holdout")
    action: str = Field(description="enrolled, queued, held_out, skipped, exited, completed")
    step: int | None = None
    kind: str | None = Field(default=None, description="text or template, when queued")
    channel: str | None = None
    outbox_id: int | None = None
    reason: str = ""


class CampaignRunResponse(BaseModel):
    dry_run: bool
    sequences: list[SequenceCounts]
    actions: list[LeadAction]
