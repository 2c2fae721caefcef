"""The conversation endpoints over real HTTP, against the app under uvicorn."""

from __future__ import annotations

import httpx

from crm.demo.chat_payloads import whatsapp_text


def test_the_endpoints_need_an_api_key(api):
    response = httpx.post(f"{api}/api/v1/router/route", json={"message": "hola"})
    assert response.status_code == 401


def test_route_a_bulk_purchase_to_sales_and_a_human_request_to_a_human(client):
    sales = client.post("/api/v1/router/route", json={"message": "Necesito 500 unidades urgente"})
    human = client.post(
        "/api/v1/router/route",
        json={"message": "quiero hablar con un agente", "at": "2026-11-25T15:00:00Z"},
    )
    assert sales.status_code == 200
    assert (sales.json()["route"], sales.json()["intent"]) == ("sales", "purchase_intent")
    assert human.json()["route"] == "human" and human.json()["escalate"] is True
    assert "the customer asked for a human" in human.json()["reasons"]


def test_chatbot_answers_the_contract_example_from_the_knowledge_base(client, knowledge):
    body = {"message": "Hola, busco una laptop", "context": {"conversation_history": []}}
    answer = client.post("/api/v1/chatbot/respond", json=body).json()
    assert answer["language"] == "es" and "Laptop Nova 14" in answer["reply"]
    assert answer["citations"][0]["passage_id"] == "es/productos.csv#laptop nova 14"
    assert answer["offer_human"] is False and answer["source"] == "local"


def test_chatbot_says_it_does_not_know_rather_than_invent(client, knowledge):
    body = {"message": "How much is the PlayStation 5?"}
    answer = client.post("/api/v1/chatbot/respond", json=body).json()
    assert answer["offer_human"] is True and answer["citations"] == []
    assert "$" not in answer["reply"] and "don't have that information" in answer["reply"]


def test_escalate_by_hand_opens_one_handoff_and_pauses_the_bot(client, knowledge, deliver, process):
    deliver(whatsapp_text("wamid.e1", "50760000021", "¿tienen monitores?"))
    process()
    body = {"channel": "whatsapp", "person_id": "50760000021", "reason": "VIP customer"}
    first = client.post("/api/v1/escalation/escalate", json=body).json()
    again = client.post("/api/v1/escalation/escalate", json=body).json()
    missing = client.post(
        "/api/v1/escalation/escalate", json={"conversation_id": 999, "reason": "x"}
    )
    assert first["created"] is True and again["created"] is False
    assert first["handoff_id"] == again["handoff_id"] and "VIP customer" in first["summary"]
    assert missing.status_code == 404
    paused = knowledge.execute("select bot_paused from app.conversations").fetchone()[0]
    assert paused is True


def _silent(conn, person: str, inbound_hours_ago: float, outbound_hours_ago: float) -> None:
    conn.execute(
        "insert into app.conversations (channel, person_id, business_id, lead_id, language,"
        " last_inbound_at, last_outbound_at) values ('whatsapp', %s, '106540352242922',"
        " 'lead-' || %s, 'es', now() - make_interval(hours => %s),"
        " now() - make_interval(hours => %s))",
        (person, person, inbound_hours_ago, outbound_hours_ago),
    )


def test_followups_respect_the_window_and_opt_outs_and_are_queued_once(client, conn):
    _silent(conn, "inside", inbound_hours_ago=6, outbound_hours_ago=5)
    _silent(conn, "outside", inbound_hours_ago=30, outbound_hours_ago=29)
    _silent(conn, "opted", inbound_hours_ago=6, outbound_hours_ago=5)
    _silent(conn, "recent", inbound_hours_ago=2, outbound_hours_ago=1)
    conn.execute("insert into app.opt_outs (channel, person_id) values ('whatsapp', 'opted')")
    first = client.get("/api/v1/followups/check").json()
    second = client.get("/api/v1/followups/check").json()
    kinds = dict(conn.execute("select recipient_id, kind from app.outbox").fetchall())
    assert first["queued"] == 2 and second["queued"] == 0
    assert kinds == {"inside": "text", "outside": "template"}
    template = conn.execute("select body from app.outbox where kind = 'template'").fetchone()[0]
    assert template["template"] == {"name": "reengagement", "language": {"code": "es"}}


def test_closure_on_thanks_and_on_inactivity_after_an_answer(client, conn, deliver, process):
    signal = client.post("/api/v1/cases/evaluate-closure", json={"message": "¡Gracias!"}).json()
    question = client.post(
        "/api/v1/cases/evaluate-closure", json={"message": "gracias, ¿y el envío?"}
    )
    deliver(whatsapp_text("wamid.c1", "50760000031", "¿cuánto cuesta el envío?"))
    process()
    conn.execute(
        "update app.conversations set last_inbound_at = now() - interval '3 days',"
        " last_outbound_at = now() - interval '3 days'"
    )
    swept = client.post("/api/v1/cases/evaluate-closure", json={}).json()
    assert signal["closing_signal"] == "thanks"
    assert question.json()["closing_signal"] is None
    assert [(c["action"], c["reason"]) for c in swept["cases"]] == [
        ("closed", "inactive_after_answer")
    ]
