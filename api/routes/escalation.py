"""`POST /escalation/escalate`: hand a conversation to a person by hand."""

from __future__ import annotations

from fastapi import APIRouter

from api.conversation_deps import ConnDep
from api.errors import ApiError
from api.schemas_conversation import EscalateRequest, EscalateResponse
from crm.conversation.escalation import open_handoff

router = APIRouter(prefix="/escalation", tags=["conversation"])


@router.post("/escalate", response_model=EscalateResponse)
def escalate(body: EscalateRequest, conn: ConnDep) -> EscalateResponse:
    """Pause the bot, open a handoff with a summary; agents are notified by the worker."""
    if body.conversation_id is not None:
        found = conn.execute(
            "select conversation_id from app.conversations where conversation_id = %s",
            (body.conversation_id,),
        ).fetchone()
    elif body.channel and body.person_id:
        found = conn.execute(
            "select conversation_id from app.conversations where channel = %s and person_id = %s",
            (body.channel, body.person_id),
        ).fetchone()
    else:
        raise ApiError(
            422,
            "invalid_request",
            "give conversation_id, or channel and person_id",
            "conversation_id",
        )
    if found is None:
        raise ApiError(404, "not_found", "no such conversation", "conversation_id")
    handoff = open_handoff(conn, found[0], body.reason, "api")
    summary = conn.execute(
        "select summary from app.handoffs where handoff_id = %s", (handoff.handoff_id,)
    ).fetchone()[0]
    return EscalateResponse(
        handoff_id=handoff.handoff_id,
        conversation_id=found[0],
        created=handoff.created,
        bot_paused=True,
        summary=summary,
    )
