"""Messenger (Page) messaging events and feed comments parse per the contract."""

from __future__ import annotations

from ingestion.meta import parse_delivery

PAGE, PSID = "106381004788431", "6543219876543210"


def test_messages_and_quick_replies(payload) -> None:
    message, quick = parse_delivery(payload("messenger_message"))
    assert (message.channel, message.event_type, message.subtype) == (
        "messenger",
        "message",
        "text",
    )
    assert message.event_id.startswith("m_AG5Hz2Uq7")
    assert (message.person_id, message.business_id) == (PSID, PAGE)
    assert message.text == "Hi! Do you ship to Costa Rica?"
    assert (quick.subtype, quick.text) == ("quick_reply", "Yes please")


def test_echo_is_outbound(payload) -> None:
    [echo] = parse_delivery(payload("messenger_echo"))
    assert (echo.event_type, echo.direction, echo.event_id) == ("echo", "outbound", "m_ECHO0001")
    assert (echo.person_id, echo.business_id) == (PSID, PAGE)


def test_postbacks_without_mid_get_a_derived_id(payload) -> None:
    started, agent = parse_delivery(payload("messenger_postback"))
    assert started.event_id == f"{PSID}:1767261600000:GET_STARTED"
    assert (started.text, started.subtype) == ("Get Started", "GET_STARTED")
    assert agent.event_id == "m_POSTBACK0002"


def test_delivery_and_read_receipts_use_the_watermark(payload) -> None:
    delivery, read = parse_delivery(payload("messenger_receipts"))
    assert delivery.event_id == f"{PSID}:delivery:1767261600040"
    assert (delivery.subtype, delivery.reply_to, delivery.direction) == (
        "delivery",
        "m_ECHO0001",
        "inbound",
    )
    assert read.event_id == f"{PSID}:read:1767261600050"
    assert {delivery.event_type, read.event_type} == {"receipt"}


def test_feed_comment_and_unknown_feed_item(payload) -> None:
    comment, reaction = parse_delivery(payload("messenger_feed"))
    assert (comment.event_type, comment.subtype) == ("comment", "feed")
    assert comment.event_id == "122101234567890_987654321098765"
    assert (comment.person_id, comment.person_name) == ("7412589630147852", "Laura Gómez")
    assert comment.text == "Precio por favor"
    assert comment.reply_to == "106381004788431_122101234567890"
    assert (reaction.event_type, reaction.subtype) == ("unknown", "feed.reaction")


def test_unknown_messaging_kind_is_kept(payload) -> None:
    body = payload("messenger_message")
    body["entry"][0]["messaging"] = [
        {"sender": {"id": PSID}, "recipient": {"id": PAGE}, "timestamp": 1, "optin": {"ref": "ad"}}
    ]
    [event] = parse_delivery(body)
    assert (event.event_type, event.subtype, event.person_id) == ("unknown", "optin", PSID)


def _feed_comment(payload, **changes) -> dict:
    body = payload("messenger_feed")
    value = body["entry"][0]["changes"][0]["value"]
    value.update(changes)
    body["entry"][0]["changes"] = body["entry"][0]["changes"][:1]
    return body


def test_an_edited_feed_comment_is_an_edit_of_the_original(payload) -> None:
    (edit,) = parse_delivery(_feed_comment(payload, verb="edited", message="Precio x favor"))
    assert (edit.event_type, edit.reply_to) == ("edit", "122101234567890_987654321098765")
    assert edit.text == "Precio x favor" and edit.event_id.endswith(":edited:1767261600")


def test_removed_or_hidden_feed_comments_are_not_messages(payload) -> None:
    for verb in ("remove", "hide"):
        (event,) = parse_delivery(_feed_comment(payload, verb=verb))
        assert (event.event_type, event.subtype) == ("unknown", f"feed.comment.{verb}")


def test_the_pages_own_comment_is_outbound_and_names_no_person(payload) -> None:
    (reply,) = parse_delivery(_feed_comment(payload, **{"from": {"id": PAGE, "name": "Shop"}}))
    assert (reply.direction, reply.person_id) == ("outbound", None)
