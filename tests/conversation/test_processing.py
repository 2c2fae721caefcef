"""Inbound messages through the engine: lead, understanding, state, route, reply."""

from __future__ import annotations

import time

from crm.conversation.identity import new_lead_id
from crm.demo.chat_payloads import messenger_text, whatsapp_text


def _outbox(conn):
    return conn.execute(
        "select in_reply_to, kind, purpose, body, citations from app.outbox order by outbox_id"
    ).fetchall()


def test_a_question_gets_a_grounded_cited_reply_in_its_language(knowledge, deliver, process):
    deliver(whatsapp_text("wamid.1", "50760000001", "Hola, ¿cuánto cuesta el monitor?"))
    deliver(messenger_text("mid.1", "psid-1", "Do you accept Yappy?"))
    assert process() == 2
    (wa, wa_kind, _, wa_body, wa_cites), (fb, _, _, fb_body, fb_cites) = _outbox(knowledge)
    assert (wa, wa_kind) == ("wamid.1", "text")
    assert "289.00" in wa_body["text"]["body"] and "Esto es lo que tengo" in wa_body["text"]["body"]
    assert wa_cites[0] == "es/productos.csv#monitor vista 27"
    assert fb == "mid.1" and "Yappy" in fb_body["message"]["text"]
    assert fb_cites == ["en/faq.md#payment methods"]


def test_unknown_product_price_is_never_invented_and_a_human_is_offered(
    knowledge, deliver, process
):
    deliver(whatsapp_text("wamid.2", "50760000002", "What is the price of the iPhone 15?"))
    process()
    [(_, kind, _, body, citations)] = _outbox(knowledge)
    assert kind == "interactive" and citations == []
    assert "don't have that information" in body["interactive"]["body"]["text"]
    assert body["interactive"]["action"]["buttons"][0]["reply"]["id"] == "human"


def test_a_redelivered_or_replayed_message_is_answered_once(knowledge, deliver, process):
    delivery = whatsapp_text("wamid.3", "50760000003", "Hola")
    deliver(delivery)
    deliver(delivery)
    process()
    knowledge.execute("delete from app.processed_events")  # as if the log write were lost
    process()
    assert len(_outbox(knowledge)) == 1


def test_the_sender_joins_a_lead_known_to_the_marts_by_phone(conn, deliver, process):
    conn.execute("create schema if not exists marts")
    conn.execute("drop table if exists marts.map_identity, marts.dim_leads")
    conn.execute(
        "create table marts.map_identity (source text, source_id text, lead_id text,"
        " match_confidence numeric)"
    )
    conn.execute(
        "create table marts.dim_leads (lead_id text, phone_e164 text, email text,"
        " last_seen_at timestamptz, lead_tier text)"
    )
    conn.execute(
        "insert into marts.dim_leads values ('lead-42', '+50760000004', null, now(), 'warm')"
    )
    try:
        deliver(whatsapp_text("wamid.4", "50760000004", "hola"))
        deliver(whatsapp_text("wamid.5", "50760000005", "hola"))
        process()
        leads = dict(conn.execute("select person_id, lead_id from app.conversations").fetchall())
    finally:
        conn.execute("drop table marts.map_identity, marts.dim_leads")
    assert leads == {
        "50760000004": "lead-42",
        "50760000005": new_lead_id("whatsapp", "50760000005"),
    }


def test_old_messages_are_understood_but_not_answered(knowledge, deliver, process):
    deliver(whatsapp_text("wamid.6", "50760000006", "Hola", at=time.time() - 86400 * 3))
    process()
    outcome, intent = knowledge.execute(
        "select outcome, intent from app.processed_events"
    ).fetchone()
    assert (outcome, intent) == ("stale", "greeting")
    assert _outbox(knowledge) == []


def test_asking_for_a_human_pauses_the_bot_until_the_handoff_ends(knowledge, deliver, process):
    deliver(whatsapp_text("wamid.7", "50760000007", "Quiero hablar con un asesor"))
    process()
    deliver(whatsapp_text("wamid.8", "50760000007", "¿cuánto cuesta el monitor?"))
    process()
    outcomes = knowledge.execute(
        "select outcome from app.processed_events order by event_row_id"
    ).fetchall()
    reason, summary = knowledge.execute("select reason, summary from app.handoffs").fetchone()
    assert [o for (o,) in outcomes] == ["escalated", "human_owns"]
    assert reason == "the customer asked for a human"
    assert "Quiero hablar con un asesor" in summary
    assert [purpose for _, _, purpose, _, _ in _outbox(knowledge)] == ["reply"]


def test_low_confidence_twice_in_a_row_escalates(knowledge, deliver, process):
    deliver(whatsapp_text("wamid.9", "50760000009", "mmm"))
    process()
    deliver(whatsapp_text("wamid.10", "50760000009", "zzz"))
    process()
    reasons = knowledge.execute(
        "select outcome from app.processed_events order by event_row_id"
    ).fetchall()
    assert [r for (r,) in reasons] == ["answered", "escalated"]


def test_thanks_closes_the_case_and_a_new_message_reopens_it(knowledge, deliver, process):
    deliver(whatsapp_text("wamid.11", "50760000011", "¿cuánto cuesta el envío?"))
    process()
    deliver(whatsapp_text("wamid.12", "50760000011", "¡Muchas gracias!"))
    process()
    closed = knowledge.execute("select status, close_reason from app.cases").fetchone()
    deliver(whatsapp_text("wamid.13", "50760000011", "¿y cuánto cuesta el envío a Costa Rica?"))
    process()
    reopened = knowledge.execute("select status, reopened_count from app.cases").fetchall()
    assert closed == ("closed", "thanks")
    assert reopened == [("open", 1)]


def test_stop_opts_out_once_and_nothing_is_sent_afterwards(knowledge, deliver, process):
    deliver(whatsapp_text("wamid.14", "50760000014", "STOP"))
    process()
    deliver(whatsapp_text("wamid.15", "50760000014", "hola"))
    process()
    purposes = [purpose for _, _, purpose, _, _ in _outbox(knowledge)]
    assert purposes == ["opt_out"]
    assert knowledge.execute("select count(*) from app.opt_outs").fetchone()[0] == 1


def test_a_new_sender_with_a_known_phone_joins_the_resolved_lead(conn, deliver, process):
    from ingestion.hygiene.phones import clean_phone

    key = clean_phone("+50760000016", "PA").phone_key
    conn.execute(
        "insert into ml.identity_links (record_id, source, source_id, lead_id,"
        " match_confidence, match_rule, phone_key) values ('import:ext-16', 'import', 'ext-16',"
        " 'lead-from-crm', 1.0, 'same_source_id', %s)",
        (key,),
    )
    try:
        deliver(whatsapp_text("wamid.16", "50760000016", "hola"))
        process()
        lead = conn.execute("select lead_id from app.conversations").fetchone()[0]
    finally:
        conn.execute("delete from ml.identity_links where lead_id = 'lead-from-crm'")
    assert lead == "lead-from-crm"
