"""`GET /followups/check`: queue the re-engagement messages now due."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from fastapi import APIRouter

from api.conversation_deps import ConnDep
from api.schemas_conversation import FollowUpItem, FollowUpsResponse
from crm.conversation.followups import check_followups
from crm.settings import get_settings

router = APIRouter(prefix="/followups", tags=["conversation"])


@router.get("/check", response_model=FollowUpsResponse)
def check(conn: ConnDep) -> FollowUpsResponse:
    """Silent leads get a follow-up: free-form inside 24 h, the approved template outside,
    never after an opt-out. Safe to call repeatedly (each follow-up is queued once)."""
    settings = get_settings()
    delays = [float(h) for h in settings.followup_delays_hours.split(",") if h.strip()]
    items = check_followups(conn, delays, settings.followup_template, datetime.now(UTC))
    return FollowUpsResponse(
        queued=sum(1 for item in items if item.kind),
        items=[FollowUpItem(**asdict(item)) for item in items],
    )
