"""Instagram messaging events and comment/mention changes parse per the contract."""

from __future__ import annotations

from ingestion.meta import parse_delivery

IG, IGSID = "17841405822304914", "1146512345678901"
MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1ODIyMzA0OTE0"
ECHO_MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjECHO0001"


def test_text_and_attachment_messages(payload) -> None:
    text, image = parse_delivery(payload("instagram_message"))
    assert (text.channel, text.event_type, text.event_id) == ("instagram", "message", MID)
    assert (text.person_id, text.business_id, text.account_id) == (IGSID, IG, IG)
    assert (text.subtype, text.text, text.direction) == (
        "text",
        "Hola! cuánto cuesta el envío?",
        "inbound",
    )
    assert (image.subtype, image.text, image.reply_to) == ("image", None, MID)
    assert image.occurred_at.microsecond == 5000  # ms timestamps


def test_echo_is_outbound_and_keyed_by_the_customer(payload) -> None:
    [echo] = parse_delivery(payload("instagram_echo"))
    assert (echo.event_type, echo.direction, echo.event_id) == ("echo", "outbound", ECHO_MID)
    assert (echo.person_id, echo.business_id) == (IGSID, IG)


def test_message_edit_id_is_mid_and_edit_count(payload) -> None:
    [edit] = parse_delivery(payload("instagram_edit"))
    assert (edit.event_type, edit.event_id, edit.reply_to) == ("edit", f"{MID}:1", MID)
    assert edit.text == "Hola! cuánto cuesta el envío a David?"


def test_reactions_are_keyed_by_target_sender_action_and_time(payload) -> None:
    react, unreact = parse_delivery(payload("instagram_reaction"))
    assert react.event_id == f"{ECHO_MID}:{IGSID}:react:1767261600010"
    assert unreact.event_id == f"{ECHO_MID}:{IGSID}:unreact:1767261600020"
    assert (react.subtype, react.text, react.reply_to) == ("react", "❤️", ECHO_MID)
    assert unreact.subtype == "unreact"


def test_postback_uses_its_mid(payload) -> None:
    [postback] = parse_delivery(payload("instagram_postback"))
    assert (postback.event_type, postback.event_id) == (
        "postback",
        "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjPOSTBACK01",
    )
    assert (postback.text, postback.subtype) == ("Ver catálogo", "SHOW_CATALOG")


def test_read_is_an_inbound_receipt(payload) -> None:
    [read] = parse_delivery(payload("instagram_read"))
    assert (read.event_type, read.subtype, read.direction) == ("receipt", "read", "inbound")
    assert read.event_id == f"{IGSID}:read:{ECHO_MID}"
    assert read.reply_to == ECHO_MID


def test_comments_replies_and_mentions(payload) -> None:
    comment, reply, mention = parse_delivery(payload("instagram_comments"))
    assert (comment.event_type, comment.subtype, comment.event_id) == (
        "comment",
        "comments",
        "17865799348089039",
    )
    assert (comment.person_id, comment.person_username) == ("2324876543210987", "ana.viaja")
    assert comment.text == "¿Lo tienen en azul?" and comment.reply_to is None
    assert (reply.reply_to, reply.person_username) == ("17865799348089039", "pedro_pty")
    assert (mention.subtype, mention.event_id) == ("mentions", "17865799348089041")
    assert comment.occurred_at is not None
