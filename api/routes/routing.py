"""`POST /router/route`: the same routing function that routes live traffic."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from api.conversation_deps import EngineDep
from api.schemas_conversation import RouteRequest, RouteResponse
from crm.conversation.routing import RouteInput, route

router = APIRouter(prefix="/router", tags=["conversation"])


@router.post("/route", response_model=RouteResponse)
def route_message(body: RouteRequest, config: EngineDep) -> RouteResponse:
    """Decide bot / sales / support / billing / human and a priority, with the reasons."""
    intent, confidence = body.intent, body.confidence
    sentiment = body.sentiment
    if body.message and (intent is None or sentiment is None):
        models = config.models
        guessed, guessed_confidence = models.intent(body.message)
        intent, confidence = intent or guessed, confidence or guessed_confidence
        sentiment = sentiment if sentiment is not None else models.sentiment(body.message)[0]
    data = RouteInput(
        intent or "other",
        1.0 if confidence is None else confidence,
        sentiment or 0.0,
        body.lead_tier,
        body.low_confidence_streak,
        body.bot_paused,
    )
    decision = route(data, config.rules, body.at or datetime.now(UTC))
    return RouteResponse(
        route=decision.route,
        priority=decision.priority,
        escalate=decision.escalate,
        agents_available=decision.agents_available,
        reasons=decision.reasons,
        intent=data.intent,
        confidence=data.confidence,
        sentiment=data.sentiment,
    )
