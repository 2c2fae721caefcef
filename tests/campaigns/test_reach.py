"""reach: where a campaign writes to a lead, and what Meta's rules let it send there."""

from __future__ import annotations

from campaign_world import NOW, hours, insert

from crm.campaigns.reach import Message, find_contact, send

HELLO = Message("Hola", "hello", ("Ana",))


def test_the_latest_conversation_wins_without_a_preference(conn, lead) -> None:
    lead("ana", channel="messenger", last_inbound_at=NOW - hours(1))
    insert(
        conn,
        "app.conversations",
        channel="whatsapp",
        person_id="50761112222",
        lead_id="ana",
        last_inbound_at=NOW - hours(5),
    )
    assert find_contact(conn, "ana").channel == "messenger"


def test_a_channel_preference_picks_its_first_channel_with_a_conversation(conn, lead) -> None:
    lead("ana", channel="messenger", last_inbound_at=NOW - hours(1))
    insert(
        conn,
        "app.conversations",
        channel="whatsapp",
        person_id="50761112222",
        lead_id="ana",
        last_inbound_at=NOW - hours(5),
    )
    contact = find_contact(conn, "ana", channels=("whatsapp", "messenger"))
    assert (contact.channel, contact.recipient_id) == ("whatsapp", "50761112222")
    assert find_contact(conn, "ana", channels=("instagram",)) is None


def test_a_lead_who_never_wrote_is_reached_on_its_phone_unless_whatsapp_is_excluded(
    conn, lead
) -> None:
    lead("luis", channel=None, phone="+50769998888")
    contact = find_contact(conn, "luis")
    assert (contact.channel, contact.recipient_id, contact.last_inbound_at) == (
        "whatsapp",
        "50769998888",
        None,
    )
    assert find_contact(conn, "luis", channels=("messenger",)) is None
    assert find_contact(conn, "nobody") is None


def test_send_refuses_opted_out_people_and_queues_each_key_once(conn, lead) -> None:
    lead("ana", channel="whatsapp", phone="+50761112222", last_inbound_at=NOW - hours(30))
    contact = find_contact(conn, "ana")
    first = send(conn, contact, HELLO, "nurturing", "k:1", NOW)
    again = send(conn, contact, HELLO, "nurturing", "k:1", NOW)
    assert (first.kind, first.outbox_id is not None) == ("template", True)
    assert (again.outbox_id, again.reason) == (None, "already queued")
    insert(conn, "app.opt_outs", channel="whatsapp", person_id="50761112222")
    assert send(conn, contact, HELLO, "nurturing", "k:2", NOW).reason == "opted out"
