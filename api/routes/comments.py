"""`POST /comments/respond`: classify a comment and answer, hide or escalate it (flow 17);
landed comment webhooks take the same path in the worker."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from fastapi import APIRouter
from psycopg.rows import dict_row

from api.conversation_deps import ConnDep, EngineDep
from api.errors import ApiError
from api.schemas_comments import CommentRequest, CommentResponse, OutboxRow
from crm.comments.respond import Comment, respond

router = APIRouter(prefix="/comments", tags=["comments"])
EVENT_SQL = (
    "select id, channel, event_type, event_id, subtype, business_id, person_id, occurred_at,"
    " text, payload from raw.channel_events where id = %s"
)


def _comment(conn, body: CommentRequest) -> Comment:
    if body.event_row_id is None:
        return Comment(
            channel="messenger" if body.channel == "facebook" else body.channel,
            comment_id=body.comment_id,
            text=body.text,
            author_id=body.author_id,
            post_id=body.post_id,
            page_id=body.page_id,
            author_name=body.author_name,
            occurred_at=body.created_at or datetime.now(UTC),
        )
    event = conn.cursor(row_factory=dict_row).execute(EVENT_SQL, (body.event_row_id,)).fetchone()
    if event is None or event["event_type"] != "comment" or event["subtype"] == "mentions":
        raise ApiError(404, "not_found", "no landed comment with this id", "event_row_id")
    return Comment.from_event(event)


@router.post("/respond", response_model=CommentResponse)
def respond_to_comment(body: CommentRequest, conn: ConnDep, engine: EngineDep) -> CommentResponse:
    """Spam hidden, complaints escalated with a public acknowledgement, buyers turned into
    leads with a private reply, questions answered (in private about money, orders or
    personal data), praise thanked; once per comment."""
    result = respond(conn, _comment(conn, body), datetime.now(UTC), engine.llm)
    ids = [a["outbox_id"] for a in result.actions if a["outbox_id"]]
    rows = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "select outbox_id, kind, status, recipient_id, idempotency_key, body"
            " from app.outbox where outbox_id = any(%s) order by outbox_id",
            (ids,),
        )
        .fetchall()
    )
    return CommentResponse(**asdict(result), outbox=[OutboxRow(**row) for row in rows])
