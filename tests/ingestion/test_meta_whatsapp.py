"""WhatsApp Cloud API payloads parse into the contract's events, one per message/status."""

from __future__ import annotations

from datetime import UTC, datetime

from ingestion.meta import parse_delivery
from ingestion.meta.events import content_id

AT = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def test_text_message_carries_sender_ids_name_and_reply_context(payload) -> None:
    [event] = parse_delivery(payload("whatsapp_text"))
    assert (event.channel, event.event_type, event.subtype) == ("whatsapp", "message", "text")
    assert event.event_id == "wamid.HBgLNTA3NjEyMzQ1NjcVAgASGBQzQUJDRDEy0001"
    assert (event.account_id, event.business_id) == ("102290129340398", "106540352242922")
    assert (event.person_id, event.person_user_id) == ("50761234567", "PA.1502576394655843")
    assert event.person_name == "María Fernández"
    assert event.direction == "inbound"
    assert event.occurred_at == AT
    assert event.text == "Hola, ¿tienen la laptop en stock?"
    assert event.reply_to == "wamid.HBgLNTA3NjEyMzQ1NjcVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"
    assert event.payload["_contact"]["wa_id"] == "50761234567"
    assert event.payload["text"]["body"] == event.text


def test_media_messages_keep_type_and_caption(payload) -> None:
    events = parse_delivery(payload("whatsapp_media"))
    assert [(e.subtype, e.text) for e in events] == [
        ("image", "Esta es la que quiero"),
        ("audio", None),
        ("video", "Mira el defecto"),
        ("document", "Factura"),
        ("sticker", None),
    ]
    assert {e.event_type for e in events} == {"message"}


def test_location_and_shared_contacts(payload) -> None:
    location, shared = parse_delivery(payload("whatsapp_location_contacts"))
    assert (location.subtype, location.text) == ("location", "Tienda Vía España")
    assert shared.subtype == "contacts"
    assert shared.payload["contacts"][0]["phones"][0]["wa_id"] == "50765551234"


def test_interactive_and_button_replies_use_reply_titles(payload) -> None:
    events = parse_delivery(payload("whatsapp_interactive"))
    assert [(e.subtype, e.text, e.reply_to) for e in events] == [
        ("interactive.button_reply", "Sí, comprar", "wamid.OUTBOUND0001"),
        ("interactive.list_reply", 'Laptop 14"', "wamid.OUTBOUND0002"),
        ("button", "Stop promotions", "wamid.OUTBOUND0003"),
    ]


def test_reactions_have_their_own_wamid_and_point_at_the_target(payload) -> None:
    react, unreact = parse_delivery(payload("whatsapp_reaction"))
    assert react.event_type == unreact.event_type == "reaction"
    assert react.event_id.endswith("0012") and unreact.event_id.endswith("0013")
    assert (react.subtype, react.text, react.reply_to) == ("react", "👍", "wamid.OUTBOUND0001")
    assert (unreact.subtype, unreact.text) == ("unreact", None)


def test_order_and_unsupported_messages(payload) -> None:
    [order] = parse_delivery(payload("whatsapp_order"))
    [unsupported] = parse_delivery(payload("whatsapp_unsupported"))
    assert (order.subtype, order.text) == ("order", "Para entregar mañana")
    assert order.payload["order"]["product_items"][0]["quantity"] == 2
    assert (unsupported.event_type, unsupported.subtype) == ("message", "unsupported")
    assert unsupported.payload["errors"][0]["code"] == 131051


def test_statuses_are_outbound_and_keyed_by_wamid_and_status(payload) -> None:
    events = parse_delivery(payload("whatsapp_statuses"))
    assert [e.event_id for e in events] == [
        "wamid.OUTBOUND0001:sent",
        "wamid.OUTBOUND0001:delivered",
        "wamid.OUTBOUND0001:read",
        "wamid.OUTBOUND0004:failed",
    ]
    assert {(e.event_type, e.direction) for e in events} == {("status", "outbound")}
    sent, failed = events[0], events[3]
    assert (sent.subtype, sent.reply_to, sent.person_id) == (
        "sent",
        "wamid.OUTBOUND0001",
        "50761234567",
    )
    assert sent.person_user_id == "PA.1502576394655843"
    assert failed.subtype == "failed" and failed.text == "Re-engagement message"
    assert failed.payload["errors"][0]["code"] == 131047


def test_business_scoped_user_id_without_wa_id(payload) -> None:
    [event] = parse_delivery(payload("whatsapp_bsuid"))
    assert event.person_id is None
    assert event.person_user_id == "US.13491208655302741918"
    assert (event.person_name, event.person_username) == ("Sheena Nelson", "@sheena")


def test_batched_delivery_gives_one_event_per_message_and_status(payload) -> None:
    events = parse_delivery(payload("whatsapp_batch"))
    assert [e.event_type for e in events] == ["message", "message", "status", "message"]
    assert events[-1].account_id == "102290129340399"
    assert (events[-1].person_id, events[-1].person_name) == ("14155550123", "John Smith")
    assert events[0].person_name == "María Fernández"


def test_unknown_change_is_landed_with_a_content_hash_id(payload) -> None:
    body = payload("whatsapp_unknown")
    [event] = parse_delivery(body)
    change = body["entry"][0]["changes"][0]
    assert (event.event_type, event.subtype) == ("unknown", "account_update")
    assert event.event_id == content_id(change) == parse_delivery(body)[0].event_id
    assert len(event.event_id) == 64


def test_unknown_message_type_is_still_a_message(payload) -> None:
    body = payload("whatsapp_text")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update(type="poll_vote", poll_vote={"option": "A"})
    del message["text"]
    [event] = parse_delivery(body)
    assert (event.event_type, event.subtype, event.text) == ("message", "poll_vote", None)
    assert event.payload["poll_vote"] == {"option": "A"}
