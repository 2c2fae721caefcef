"""Request and response bodies of `POST /payments/remind` (flow 13)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

InvoiceNumber = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class RemindRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(
        default=None,
        description="the calendar day whose reminder steps to send (default: today in"
        " BUSINESS_TIMEZONE); the 24 h window is always judged now",
    )
    invoice_numbers: list[InvoiceNumber] | None = Field(
        default=None,
        max_length=10_000,
        description="only these invoices (default: every invoice due within -60..+30 days)",
    )


class InvoiceAction(BaseModel):
    invoice_number: str
    action: str = Field(description="sent or skipped")
    reason: str = Field(
        description="sent, paid, opted_out, no_contact, outside_window, not_due_yet,"
        " already_sent, not_found"
    )
    lead_id: str | None = None
    step: str | None = Field(default=None, description="before_3, due, after_3 ... when reached")
    tone: str | None = Field(default=None, description="friendly, firm or final")
    days_from_due: int | None = Field(default=None, description="negative: before the due date")
    channel: str | None = None
    kind: str | None = Field(default=None, description="text (inside 24 h) or template")
    outbox_id: int | None = None
    detail: str = ""


class RemindResponse(BaseModel):
    as_of: date
    sent: int
    skipped: int
    by_reason: dict[str, int]
    actions: list[InvoiceAction]
