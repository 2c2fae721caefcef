"""Ending a handoff over real HTTP: the agent resolves it and the bot answers again; the
agents' queue of handoffs."""

from __future__ import annotations

from crm.demo.chat_payloads import whatsapp_text

RESOLVE = "/api/v1/escalation/resolve"
PERSON = "50760000051"


def _replies(conn) -> set[str]:
    """The inbound message ids the bot answered."""
    return {r[0] for r in conn.execute("select in_reply_to from app.outbox").fetchall()}


def _escalated(client, deliver, process, person: str = PERSON) -> dict:
    """A conversation (one answered message) handed to a person by hand."""
    deliver(whatsapp_text(f"wamid.{person}.1", person, "¿tienen monitores?"))
    process()
    body = {"channel": "whatsapp", "person_id": person, "reason": "VIP customer"}
    return client.post("/api/v1/escalation/escalate", json=body).json()


def test_resolving_gives_the_conversation_back_to_the_bot(client, knowledge, deliver, process):
    handoff = _escalated(client, deliver, process)
    deliver(whatsapp_text("wamid.paused", PERSON, "¿cuánto cuesta el monitor Vista 27?"))
    process()
    paused_replies = _replies(knowledge)
    resolved = client.post(
        RESOLVE,
        json={"handoff_id": handoff["handoff_id"], "resolution": "price sent", "agent": "Ana"},
    )
    deliver(whatsapp_text("wamid.resumed", PERSON, "¿cuánto cuesta el monitor Vista 27?"))
    process()
    assert "wamid.paused" not in paused_replies and f"wamid.{PERSON}.1" in paused_replies
    assert resolved.status_code == 200
    body = resolved.json()
    assert (body["status"], body["resolution"], body["resolved_by"]) == (
        "resolved",
        "price sent",
        "Ana",
    )
    assert body["changed"] is True and body["bot_paused"] is False and body["resolved_at"]
    assert body["notify_status"] == "cancelled"  # nobody was told yet: nothing left to take
    assert "wamid.resumed" in _replies(knowledge)


def test_resolving_twice_returns_the_same_record_unchanged(client, knowledge, deliver, process):
    handoff = _escalated(client, deliver, process)
    first = client.post(
        RESOLVE,
        json={"conversation_id": handoff["conversation_id"], "resolution": "done", "agent": "Ana"},
    ).json()
    again = client.post(
        RESOLVE, json={"handoff_id": handoff["handoff_id"], "resolution": "other", "agent": "Luis"}
    )
    assert again.status_code == 200
    assert again.json() == {**first, "changed": False}


def test_an_agent_can_keep_the_conversation_and_give_it_back_later(
    client, knowledge, deliver, process
):
    handoff = _escalated(client, deliver, process)
    body = {"handoff_id": handoff["handoff_id"], "resolution": "calling", "agent": "Ana"}
    kept = client.post(RESOLVE, json={**body, "resume_bot": False}).json()
    given_back = client.post(RESOLVE, json=body).json()
    assert (kept["status"], kept["bot_paused"]) == ("resolved", True)
    assert (given_back["changed"], given_back["bot_paused"]) == (False, False)
    assert given_back["resolution"] == "calling"


def test_unknown_ids_are_404_naming_the_field(client, knowledge, deliver, process):
    _escalated(client, deliver, process)
    knowledge.execute(
        "insert into app.conversations (channel, person_id, lead_id) values ('whatsapp', 'x', 'l')"
    )
    lonely = knowledge.execute(
        "select conversation_id from app.conversations where person_id = 'x'"
    ).fetchone()[0]
    note = {"resolution": "done", "agent": "Ana"}
    answers = {
        "handoff_id": client.post(RESOLVE, json={"handoff_id": 999, **note}),
        "conversation_id": client.post(RESOLVE, json={"conversation_id": 999, **note}),
        "no_handoff": client.post(RESOLVE, json={"conversation_id": lonely, **note}),
    }
    assert {k: r.status_code for k, r in answers.items()} == dict.fromkeys(answers, 404)
    assert answers["handoff_id"].json()["error"]["field"] == "handoff_id"
    assert answers["conversation_id"].json()["error"]["field"] == "conversation_id"
    assert "has no handoff" in answers["no_handoff"].json()["error"]["message"]


def test_bad_input_is_422_naming_the_field(client):
    cases = {
        "handoff_id": {"resolution": "done", "agent": "Ana"},
        "resolution": {"handoff_id": 1, "resolution": "", "agent": "Ana"},
        "agent": {"handoff_id": 1, "resolution": "done"},
        "resume_bot": {"handoff_id": 1, "resolution": "done", "agent": "A", "resume_bot": "x"},
    }
    for field, body in cases.items():
        answer = client.post(RESOLVE, json=body)
        assert answer.status_code == 422, field
        assert answer.json()["error"]["field"] == field
    both = client.post(
        RESOLVE, json={"handoff_id": 1, "conversation_id": 1, "resolution": "d", "agent": "A"}
    )
    assert both.status_code == 422


def test_the_handoff_queue_filters_by_status_and_pages(client, knowledge, deliver, process):
    first = _escalated(client, deliver, process, "50760000061")
    second = _escalated(client, deliver, process, "50760000062")
    _escalated(client, deliver, process, "50760000063")
    client.post(
        RESOLVE, json={"handoff_id": second["handoff_id"], "resolution": "ok", "agent": "Ana"}
    )
    open_page = client.get("/api/v1/escalation/handoffs", params={"status": "open", "limit": 1})
    rest = client.get(
        "/api/v1/escalation/handoffs", params={"status": "open", "limit": 1, "offset": 1}
    ).json()
    resolved = client.get("/api/v1/escalation/handoffs", params={"status": "resolved"}).json()
    everything = client.get("/api/v1/escalation/handoffs").json()
    bad = client.get("/api/v1/escalation/handoffs", params={"status": "closed"})
    assert open_page.status_code == 200
    assert [h["handoff_id"] for h in open_page.json()["items"]] == [first["handoff_id"]]
    assert open_page.json()["total"] == 2 and len(rest["items"]) == 1
    assert rest["items"][0]["handoff_id"] not in (first["handoff_id"], second["handoff_id"])
    assert [h["resolved_by"] for h in resolved["items"]] == ["Ana"]
    assert everything["total"] == 3
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "query.status"
