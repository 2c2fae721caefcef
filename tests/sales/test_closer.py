"""The AI closer on real conversations: landed, processed by the worker, then closed."""

from __future__ import annotations

from datetime import timedelta

import yaml

from crm.conversation.llm import build_chain
from crm.sales.closer import CloserConfig, CloseRequest, close
from crm.sales.offers import SalesRules
from crm.settings import get_settings


def _close(conn, config, now, wa_id: str, **extra):
    return close(conn, CloseRequest(channel="whatsapp", person_id=wa_id, **extra), config, now)


def _outbox(conn, key: str):
    return conn.execute(
        "select outbox_id, kind, purpose, body #>> '{text,body}', citations from app.outbox"
        " where idempotency_key = %s",
        (key,),
    ).fetchall()


def test_a_price_objection_is_answered_from_the_knowledge_base_with_an_offer_and_a_link(
    conn, chat, closer_config, now
):
    lead = chat("50761110001", "La Laptop Nova 14 está muy cara para mí")
    conn.execute("insert into marts.dim_customers values (%s, 'promising')", (lead,))
    decision = _close(conn, closer_config, now, "50761110001")
    assert [o["kind"] for o in decision.objections] == ["price"]
    assert "es/productos.csv#laptop nova 14" in decision.citations
    assert decision.offer["discount_percent"] == 10
    assert decision.offer["limit_source"] == "segment:promising"
    assert decision.checkout_url == (
        f"https://shop.test/checkout?lead={lead}&product=Laptop%20Nova%2014"
    )
    [(_, kind, purpose, text, citations)] = _outbox(conn, decision.idempotency_key)
    assert (kind, purpose, citations) == ("text", "sales_close", decision.citations)
    assert "749.00" in text and "10% de descuento" in text and decision.checkout_url in text


def test_the_discount_never_exceeds_the_segment_limit(conn, chat, closer_config, now):
    champion = chat("50761110002", "It's too expensive")
    cold = chat("50761110003", "It's too expensive")
    conn.execute("insert into marts.dim_customers values (%s, 'champion')", (champion,))
    conn.execute("insert into marts.dim_leads values (%s, 'cold')", (cold,))
    capped = _close(conn, closer_config, now, "50761110002")
    none = _close(conn, closer_config, now, "50761110003")
    assert closer_config.rules.discount_percent == 10
    assert capped.offer["discount_percent"] == 5  # champion: at most 5 %
    assert none.offer is None and none.queued  # cold leads: no discount, still the ask
    stored = conn.execute("select lead_id, discount_percent from app.sales_offers").fetchall()
    assert [(lead, float(p)) for lead, p in stored] == [(champion, 5.0)]


def test_a_lead_is_never_offered_more_than_its_limit(conn, chat, closer_config, now):
    lead = chat("50761110004", "El precio está muy caro")
    conn.execute("insert into marts.dim_customers values (%s, 'at_risk')", (lead,))
    first = _close(conn, closer_config, now, "50761110004")
    chat("50761110004", "El precio sigue siendo caro, ¿no hay descuento?")
    second = _close(conn, closer_config, now, "50761110004")
    assert first.offer is not None and second.offer is None
    assert second.idempotency_key != first.idempotency_key and second.queued
    assert "descuento" not in _outbox(conn, second.idempotency_key)[0][3].split("\n")[-1]
    assert conn.execute("select count(*) from app.sales_offers").fetchone()[0] == 1


def test_no_price_passage_means_no_invented_price_and_a_person_offered(
    conn, chat, closer_config, now
):
    lead = chat("50761110005", "The PlayStation 5 is too expensive")
    conn.execute("insert into marts.dim_customers values (%s, 'new')", (lead,))
    decision = _close(conn, closer_config, now, "50761110005")
    assert decision.citations == [] and "$" not in decision.answer
    assert "would rather not guess" in decision.answer


def test_a_big_deal_is_handed_to_a_person(conn, chat, closer_config, now):
    chat("50761110006", "Necesito 20 unidades de la Laptop Nova 16 Pro, pero está cara")
    decision = _close(conn, closer_config, now, "50761110006")
    assert decision.deal_value == 20 * 1199.0
    assert decision.handed_off and decision.handoff_reason.startswith("deal value 23980")
    assert decision.offer is None and decision.checkout_url is None
    handoff = conn.execute("select source, reason from app.handoffs").fetchone()
    assert handoff == ("sales_closer", decision.handoff_reason)
    assert conn.execute("select bot_paused from app.conversations").fetchone()[0] is True
    assert "persona del equipo" in _outbox(conn, decision.idempotency_key)[0][3]


def test_a_competitor_objection_raised_twice_is_handed_to_a_person(conn, chat, closer_config, now):
    chat("50761110007", "Lo vi en Amazon", "En otra tienda también lo tienen")
    decision = _close(conn, closer_config, now, "50761110007", deal_value=300)
    assert decision.handed_off
    assert decision.handoff_reason == "competitor objection raised 2 times"


def test_closing_twice_queues_once_and_returns_the_same_decision(conn, chat, closer_config, now):
    lead = chat("50761110008", "Está muy caro")
    conn.execute("insert into marts.dim_customers values (%s, 'new')", (lead,))
    first = _close(conn, closer_config, now, "50761110008")
    again = _close(conn, closer_config, now, "50761110008")
    assert again.replayed and not first.replayed
    assert (again.outbox_id, again.offer, again.answer) == (
        first.outbox_id,
        first.offer,
        first.answer,
    )
    assert first.idempotency_key.startswith(f"close:{first.conversation_id}:wamid.")
    assert len(_outbox(conn, first.idempotency_key)) == 1
    assert conn.execute("select count(*) from app.sales_offers").fetchone()[0] == 1


def test_nothing_is_sent_or_offered_outside_the_24_hour_window(conn, chat, closer_config, now):
    lead = chat("50761110009", "Está muy caro")
    conn.execute("insert into marts.dim_customers values (%s, 'new')", (lead,))
    decision = _close(conn, closer_config, now + timedelta(hours=25), "50761110009")
    assert not decision.queued and decision.offer is None
    assert decision.not_queued_reason == "outside the 24 h customer service window"
    assert _outbox(conn, decision.idempotency_key) == []


def test_offers_follow_the_configured_file(tmp_path, conn, chat, now):
    path = tmp_path / "offers.yaml"
    base = SalesRules.load().model_dump()
    path.write_text(yaml.safe_dump({**base, "discount_percent": 3, "max_offers_per_lead": 2}))
    config = CloserConfig(SalesRules.load(path), "https://pay.test/{lead_id}")
    lead = chat("50761110010", "the price is too expensive")
    conn.execute("insert into marts.dim_customers values (%s, 'at_risk')", (lead,))
    first = _close(conn, config, now, "50761110010")
    chat("50761110010", "the price is still too expensive")
    second = _close(conn, config, now, "50761110010")
    assert (first.offer["discount_percent"], second.offer["discount_percent"]) == (3, 3)
    assert first.checkout_url == f"https://pay.test/{lead}"


def _completion(text: str) -> dict:
    """A chat completion as OpenAI's API returns it."""
    return {
        "id": "chatcmpl-close1",
        "object": "chat.completion",
        "created": 1764150000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 300, "completion_tokens": 30, "total_tokens": 330},
    }


def _llm_config(rules, url: str) -> CloserConfig:
    settings = get_settings().model_copy(
        update={"openai_api_key": "sk-test", "openai_base_url": url, "llm_max_retries": 0}
    )
    return CloserConfig(rules, "https://pay.test/{lead_id}", build_chain(settings))


def test_with_an_llm_the_answer_is_its_grounded_text_with_the_offer_and_link_added(
    conn, chat, rules, now, openai_api
):
    url, answers, requests = openai_api
    answers.append(_completion("La Laptop Nova 14 cuesta 749.00 USD e incluye 12 meses [P1]."))
    chat("50761110011", "El precio de la Laptop Nova 14 está muy caro")
    decision = _close(conn, _llm_config(rules, url), now, "50761110011")
    assert decision.answer.startswith("La Laptop Nova 14 cuesta 749.00 USD")
    assert decision.answer.endswith(decision.checkout_url)
    assert "749.00" in requests[0]["messages"][0]["content"]  # the passages were given


def test_an_llm_answer_stating_a_price_not_in_the_passages_is_replaced_locally(
    conn, chat, rules, now, openai_api
):
    url, answers, _ = openai_api
    answers.append(_completion("Te la dejo en 599 USD, ¡oferta!"))
    chat("50761110012", "El precio de la Laptop Nova 14 está muy caro")
    decision = _close(conn, _llm_config(rules, url), now, "50761110012")
    assert "599" not in decision.answer
    assert decision.answer.startswith("Sobre el precio: Laptop Nova 14")


def test_an_opted_out_customer_gets_no_message_and_no_offer(conn, chat, closer_config, now):
    lead = chat("50761110013", "El precio está muy caro")
    conn.execute("insert into marts.dim_customers values (%s, 'new')", (lead,))
    conn.execute("insert into app.opt_outs (channel, person_id) values ('whatsapp', '50761110013')")
    decision = _close(conn, closer_config, now, "50761110013")
    assert (decision.queued, decision.offer) == (False, None)
    assert decision.not_queued_reason == "the customer opted out"
    assert conn.execute("select count(*) from app.sales_offers").fetchone()[0] == 0
