"""Each comment class to the right Graph API call, made by the outbox sender against a
faked Graph API (respx at the HTTP boundary), and the rules around it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from crm.comments.respond import Comment, respond
from crm.conversation.identity import new_lead_id
from crm.conversation.senders import RateLimiter, drain
from crm.demo.chat_payloads import IG_ACCOUNT_ID, PAGE_ID

GRAPH = "https://graph.facebook.com/v21.0"
TOKENS = {"instagram_access_token": "ig-token", "messenger_access_token": "page-token"}
OWNER = {"instagram": IG_ACCOUNT_ID, "messenger": PAGE_ID}


def _comment(channel: str, comment_id: str, text: str, author="7001", hours_ago=0.0):
    return Comment(
        channel=channel,
        comment_id=comment_id,
        text=text,
        author_id=author,
        post_id="post-1",
        page_id=OWNER[channel],
        author_name="Ana",
        occurred_at=datetime.now(UTC) - timedelta(hours=hours_ago),
    )


def _send(conn, graph_sender, path: str, answer: dict) -> httpx.Request:
    """Drain the outbox with tokens against a Graph API answering `path`; its one request."""
    with respx.mock(assert_all_called=True) as graph, httpx.Client() as http:
        route = graph.post(f"{GRAPH}/{path}").respond(200, json=answer)
        drain(conn, graph_sender(http, **TOKENS), RateLimiter(100))
    assert route.call_count == 1
    return route.calls.last.request


def _rows(conn):
    return conn.execute(
        "select kind, status, provider_message_id, recipient_id, in_reply_to from app.outbox"
        " order by outbox_id"
    ).fetchall()


@pytest.mark.parametrize("channel", ["instagram", "messenger"])
def test_spam_is_hidden(conn, graph_sender, channel):
    result = respond(
        conn, _comment(channel, "c-spam", "Gana dinero 👉 www.x.biz"), datetime.now(UTC)
    )
    request = _send(conn, graph_sender, "c-spam", {"success": True})
    assert result.label == "spam" and [a["kind"] for a in result.actions] == ["hide_comment"]
    assert request.read() == b'{"is_hidden":true}'
    token = TOKENS[f"{channel}_access_token"]
    assert request.headers["Authorization"] == f"Bearer {token}"
    assert _rows(conn) == [("hide_comment", "sent", None, "7001", "c-spam")]


@pytest.mark.parametrize(("channel", "edge"), [("instagram", "replies"), ("messenger", "comments")])
def test_a_question_is_answered_publicly_from_the_knowledge_base(conn, graph_sender, channel, edge):
    comment = _comment(channel, "c-question", "What are your opening hours?")
    result = respond(conn, comment, datetime.now(UTC))
    request = _send(conn, graph_sender, f"c-question/{edge}", {"id": "17858893269000001"})
    message = httpx.Response(200, content=request.read()).json()["message"]
    assert (result.label, result.private) == ("question", False)
    assert message.startswith("Opening hours: Our team answers Monday to Friday")
    assert _rows(conn) == [("comment_reply", "sent", "17858893269000001", "7001", "c-question")]
    cited = conn.execute("select citations from app.outbox").fetchone()[0]
    assert cited == ["en/faq.md#opening hours"]


def test_a_question_about_an_order_is_answered_by_private_reply(conn, graph_sender):
    result = respond(
        conn, _comment("instagram", "c-order", "¿Cuándo llega mi pedido?"), datetime.now(UTC)
    )
    request = _send(
        conn,
        graph_sender,
        f"{IG_ACCOUNT_ID}/messages",
        {"recipient_id": "7001", "message_id": "m_1"},
    )
    body = httpx.Response(200, content=request.read()).json()
    assert (result.label, result.private) == ("question", True)
    assert body["recipient"] == {"comment_id": "c-order"} and body["message"]["text"]


def test_a_buying_comment_becomes_a_lead_with_a_private_reply(conn, graph_sender):
    result = respond(
        conn, _comment("instagram", "c-buy", "Lo quiero! precio?", "7002"), datetime.now(UTC)
    )
    answer = {"recipient_id": "7002", "message_id": "aWdfZAG1faXRlbToxOklHTWVzc2FnZA"}
    request = _send(conn, graph_sender, f"{IG_ACCOUNT_ID}/messages", answer)
    body = httpx.Response(200, content=request.read()).json()
    lead = new_lead_id("instagram", "7002")
    assert result.label == "buying" and result.lead_id == lead
    assert conn.execute("select channel, person_id, lead_id from app.conversations").fetchall() == [
        ("instagram", "7002", lead)
    ]
    assert body["recipient"] == {"comment_id": "c-buy"}
    assert body["message"]["text"].startswith("¡Hola Ana! Te escribimos por tu comentario.")
    assert _rows(conn) == [("private_reply", "sent", answer["message_id"], "7002", "c-buy")]
    assert conn.execute("select lead_id from app.outbox").fetchone()[0] == lead


def test_a_complaint_is_escalated_and_acknowledged_publicly(conn, graph_sender):
    comment = _comment("messenger", "c-bad", "Pésimo servicio, mi pedido nunca llegó", "7003")
    result = respond(conn, comment, datetime.now(UTC))
    request = _send(conn, graph_sender, "c-bad/comments", {"id": "c-ack"})
    message = httpx.Response(200, content=request.read()).json()["message"]
    handoff = conn.execute("select handoff_id, source, reason from app.handoffs").fetchone()
    assert result.label == "complaint" and result.handoff_id == handoff[0]
    assert handoff[1:] == ("comments", "complaint in a messenger comment")
    assert message.startswith("Lamentamos mucho lo ocurrido")
    assert conn.execute("select bot_paused from app.conversations").fetchone()[0] is True


def test_praise_is_thanked_publicly(conn, graph_sender):
    result = respond(conn, _comment("instagram", "c-love", "Love it! 😍"), datetime.now(UTC))
    request = _send(conn, graph_sender, "c-love/replies", {"id": "c-thanks"})
    assert result.label == "praise"
    assert b"Thank you so much" in request.read()


def test_other_comments_and_our_own_get_nothing(conn):
    other = respond(conn, _comment("instagram", "c-tag", "@maria mira esto"), datetime.now(UTC))
    own = respond(
        conn, _comment("instagram", "c-own", "precio?", author=IG_ACCOUNT_ID), datetime.now(UTC)
    )
    assert (other.label, other.actions, own.label, own.actions) == ("other", [], "own", [])
    assert _rows(conn) == []
    labels = conn.execute("select comment_id, label from app.comment_actions order by 1").fetchall()
    assert labels == [("c-own", "own"), ("c-tag", "other")]


def test_a_comment_is_handled_once(conn):
    comment = _comment("instagram", "c-twice", "how much?")
    first = respond(conn, comment, datetime.now(UTC))
    again = respond(conn, comment, datetime.now(UTC))
    assert again.replayed and (again.label, again.actions) == (first.label, first.actions)
    assert len(_rows(conn)) == 1


def test_without_a_token_every_action_is_a_dry_run(conn, graph_sender):
    respond(conn, _comment("instagram", "c-dry", "Lo quiero"), datetime.now(UTC))
    respond(conn, _comment("messenger", "c-dry2", "follow me www.spam.biz"), datetime.now(UTC))
    with respx.mock() as graph, httpx.Client() as http:
        drain(conn, graph_sender(http), RateLimiter(100))
    assert graph.calls.call_count == 0
    assert [(k, s) for k, s, *_ in _rows(conn)] == [
        ("private_reply", "dry_run"),
        ("hide_comment", "dry_run"),
    ]


def test_an_old_comment_gets_no_reply_but_spam_is_still_hidden(conn):
    old = respond(
        conn, _comment("instagram", "c-old", "how much?", hours_ago=30), datetime.now(UTC)
    )
    spam = respond(
        conn, _comment("instagram", "c-old-spam", "www.spam.biz", hours_ago=30), datetime.now(UTC)
    )
    assert old.actions == [
        {
            "kind": "private_reply",
            "outbox_id": None,
            "reason": "outside the 24 h window of the comment",
        }
    ]
    assert spam.actions[0]["outbox_id"] is not None
    assert [k for k, *_ in _rows(conn)] == ["hide_comment"]


def test_an_opted_out_commenter_gets_no_private_reply(conn):
    conn.execute("insert into app.opt_outs (channel, person_id) values ('instagram', '7009')")
    result = respond(conn, _comment("instagram", "c-opt", "lo quiero", "7009"), datetime.now(UTC))
    assert result.actions[0]["outbox_id"] is None
    assert result.actions[0]["reason"].startswith("refused by the outbox")
    assert _rows(conn) == []
