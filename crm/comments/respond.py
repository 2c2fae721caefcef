"""Answering comments (flow 17): each comment classified once, and acted on through the
outbox like every other message.

- spam / abuse: hidden (`hide_comment`);
- complaint: handed to a person (a handoff on the commenter's conversation) and a polite
  public acknowledgement (`comment_reply`);
- buying signal: the commenter becomes (or is attached to) a lead and gets one DM
  (`private_reply`) grounded in the knowledge base;
- question: a short public answer quoting the knowledge base, or a DM when it is about
  price, an order or personal data (or nothing relevant was found);
- praise: a public thank-you; other: nothing.

Our own Page's / account's comments are never answered. What was done is stored per
(channel, comment id) in `app.comment_actions` and every message is keyed by the comment
(`comment:<channel>:<comment id>:<kind>`), so a redelivered webhook or a repeated call does
nothing twice. Replies go only within the 24 h window of the comment; hiding spam is not
a message and is done whenever it is seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from crm.comments import phrases
from crm.comments.classify import CommentClass, classify
from crm.conversation import bot, knowledge, state
from crm.conversation.escalation import open_handoff
from crm.conversation.llm import LLMChain
from crm.conversation.outbox import (
    Outbound,
    comment_reply_payload,
    enqueue,
    hide_comment_payload,
    private_reply_payload,
)
from crm.conversation.replies import Reply
from crm.conversation.understanding import detect_language
from crm.conversation.window import window_open


@dataclass(frozen=True)
class Comment:
    """One comment on one of the business's posts."""

    channel: str  # instagram, or messenger for a Facebook Page
    comment_id: str
    text: str | None
    author_id: str | None
    post_id: str | None = None
    page_id: str | None = None  # the Page / IG account commented on: our own id
    author_name: str | None = None
    occurred_at: datetime | None = None

    @classmethod
    def from_event(cls, event: dict) -> Comment:
        """From a landed `raw.channel_events` row of event_type `comment`."""
        payload = event.get("payload") or {}
        post = payload.get("post_id") or (payload.get("media") or {}).get("id")
        author = payload.get("from") or {}
        return cls(
            channel=event["channel"],
            comment_id=event["event_id"],
            text=event.get("text"),
            author_id=event.get("person_id"),
            post_id=post,
            page_id=event.get("business_id"),
            author_name=author.get("username") or author.get("name"),
            occurred_at=event.get("occurred_at"),
        )


@dataclass
class CommentResult:
    channel: str
    comment_id: str
    label: str
    confidence: float
    private: bool
    lead_id: str | None = None
    handoff_id: int | None = None
    actions: list[dict[str, Any]] = field(default_factory=list)
    replayed: bool = False


def respond(
    conn: psycopg.Connection, comment: Comment, now: datetime, llm: LLMChain | None = None
) -> CommentResult:
    """Classify the comment, queue what it calls for, and record it (once)."""
    stored = conn.execute(
        "select label, confidence, actions, lead_id, handoff_id from app.comment_actions"
        " where channel = %s and comment_id = %s",
        (comment.channel, comment.comment_id),
    ).fetchone()
    if stored:
        label, confidence, actions, lead_id, handoff_id = stored
        private = any(a["kind"] == "private_reply" for a in actions)
        return CommentResult(
            comment.channel,
            comment.comment_id,
            label,
            confidence,
            private,
            lead_id,
            handoff_id,
            actions=actions,
            replayed=True,
        )
    own = not comment.author_id or comment.author_id == comment.page_id
    found = CommentClass("own", 1.0) if own else classify(comment.text)
    result = CommentResult(
        comment.channel, comment.comment_id, found.label, found.confidence, found.private
    )
    if not own:
        _act(conn, comment, result, now, llm)
    conn.execute(
        "insert into app.comment_actions (channel, comment_id, post_id, author_id, lead_id,"
        " handoff_id, text, label, confidence, actions, outbox_ids) values"
        " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) on conflict do nothing",
        (
            comment.channel,
            comment.comment_id,
            comment.post_id,
            comment.author_id,
            result.lead_id,
            result.handoff_id,
            comment.text,
            result.label,
            result.confidence,
            Jsonb(result.actions),
            Jsonb([a["outbox_id"] for a in result.actions if a.get("outbox_id")]),
        ),
    )
    return result


def _act(conn, comment: Comment, result: CommentResult, now: datetime, llm) -> None:
    language = detect_language(comment.text or "", "es")
    label, text = result.label, comment.text or ""
    if label == "spam":
        _queue(conn, comment, result, "hide_comment", hide_comment_payload(), now)
    elif label == "complaint":
        conversation = _conversation(conn, comment)
        result.lead_id = conversation["lead_id"]
        reason = f"complaint in a {comment.channel} comment"
        handoff = open_handoff(conn, conversation["conversation_id"], reason, "comments", text)
        result.handoff_id = handoff.handoff_id
        _public(conn, comment, result, phrases.say(language, "complaint"), now)
    elif label == "buying":
        result.lead_id = _conversation(conn, comment)["lead_id"]
        reply = bot.answer(conn, text, "purchase_intent", language, llm=llm)
        if reply.offer_human:  # nothing found: ask what they want rather than "I don't know"
            reply = Reply(phrases.say(language, "buying"))
        greeting = phrases.greet(language, comment.author_name, reply.text)
        _private(conn, comment, result, greeting, now, reply.citations)
    elif label == "question":
        _question(conn, comment, result, language, now, llm)
    elif label == "praise":
        _public(conn, comment, result, phrases.say(language, "praise"), now)


def _question(conn, comment: Comment, result: CommentResult, language: str, now, llm) -> None:
    """Public short answer from the knowledge base; a DM for private topics or no answer."""
    text = comment.text or ""
    passages = [] if result.private else knowledge.search(conn, text, language, limit=1)
    if passages:
        _public(
            conn,
            comment,
            result,
            phrases.short_answer(language, passages[0]),
            now,
            [passages[0].passage_id],
        )
        return
    result.private = True
    reply = bot.answer(conn, text, "product_inquiry", language, llm=llm)
    _private(
        conn,
        comment,
        result,
        phrases.greet(language, comment.author_name, reply.text),
        now,
        reply.citations,
    )


def _conversation(conn: psycopg.Connection, comment: Comment) -> dict:
    """The commenter's conversation on the channel, opened with a lead if new (the same
    real-time lead attach as a first message)."""
    event = {
        "channel": comment.channel,
        "business_id": comment.page_id,
        "text": comment.text,
        "occurred_at": comment.occurred_at,
    }
    return state.open_conversation(conn, event, [comment.author_id])


def _public(conn, comment, result, text: str, now, citations: list[str] | None = None):
    _queue(conn, comment, result, "comment_reply", comment_reply_payload(text), now, citations)


def _private(conn, comment, result, text: str, now, citations: list[str] | None = None):
    body = private_reply_payload(comment.comment_id, text)
    _queue(conn, comment, result, "private_reply", body, now, citations)


def _queue(conn, comment, result, kind: str, body: dict, now, citations=None) -> None:
    """Queue one action keyed by the comment; record why when nothing was queued."""
    action: dict[str, Any] = {"kind": kind, "outbox_id": None, "reason": None}
    if kind != "hide_comment" and not window_open(comment.occurred_at or now, now):
        action["reason"] = "outside the 24 h window of the comment"
    else:
        action["outbox_id"] = enqueue(
            conn,
            Outbound(
                channel=comment.channel,
                recipient_id=comment.author_id or comment.comment_id,
                kind=kind,
                body=body,
                purpose="comment",
                idempotency_key=f"comment:{comment.channel}:{comment.comment_id}:{kind}",
                sender_id=comment.page_id,
                lead_id=result.lead_id,
                in_reply_to=comment.comment_id,
                citations=citations or [],
            ),
        )
        if action["outbox_id"] is None:
            action["reason"] = "refused by the outbox (opted out) or already queued"
    result.actions.append(action)
