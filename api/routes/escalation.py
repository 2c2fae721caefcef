"""Handoffs by hand: `POST /escalation/escalate` gives a conversation to a person,
`POST /escalation/resolve` gives it back to the bot, `GET /escalation/handoffs` is the
agents' queue."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.conversation_deps import ConnDep
from api.errors import ApiError
from api.schemas_conversation import (
    EscalateRequest,
    EscalateResponse,
    HandoffOut,
    HandoffPage,
    ResolveRequest,
    ResolveResponse,
)
from crm.conversation.escalation import open_handoff
from crm.conversation.handback import HandoffNotFound, find_handoff, list_handoffs, resolve_handoff

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


@router.post(
    "/resolve",
    response_model=ResolveResponse,
    responses={404: {"description": "no such handoff or conversation (field named)"}},
)
def resolve(body: ResolveRequest, conn: ConnDep) -> ResolveResponse:
    """Close a handoff with the agent's note and give the conversation back to the bot
    (unless `resume_bot` is false). Idempotent: resolving a resolved handoff answers 200
    with the stored record and `changed: false`."""
    if (body.handoff_id is None) == (body.conversation_id is None):
        raise ApiError(
            422, "invalid_request", "give handoff_id or conversation_id (one)", "handoff_id"
        )
    try:
        handoff_id = find_handoff(conn, body.handoff_id, body.conversation_id)
    except HandoffNotFound as exc:
        raise ApiError(404, "not_found", exc.message, exc.field) from exc
    record, changed = resolve_handoff(
        conn, handoff_id, body.resolution, body.agent, resume_bot=body.resume_bot
    )
    return ResolveResponse(**asdict(record), changed=changed)


@router.get("/handoffs", response_model=HandoffPage)
def handoffs(
    conn: ConnDep,
    status: Literal["open", "resolved"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HandoffPage:
    """Handoffs oldest first (the order to take them in), optionally only open / resolved."""
    records, total = list_handoffs(conn, status, limit, offset)
    items = [HandoffOut(**asdict(r)) for r in records]
    return HandoffPage(items=items, total=total, limit=limit, offset=offset)
