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
    assert find_contact(conn, "ana", now=NOW).channel == "messenger"


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
    contact = find_contact(conn, "ana", now=NOW, channels=("whatsapp", "messenger"))
    assert (contact.channel, contact.recipient_id) == ("whatsapp", "50761112222")
    assert find_contact(conn, "ana", now=NOW, channels=("instagram",)) is None


def test_a_lead_who_never_wrote_is_reached_on_its_phone_unless_whatsapp_is_excluded(
    conn, lead
) -> None:
    lead("luis", channel=None, phone="+50769998888")
    contact = find_contact(conn, "luis", now=NOW)
    assert (contact.channel, contact.recipient_id, contact.last_inbound_at) == (
        "whatsapp",
        "50769998888",
        None,
    )
    assert find_contact(conn, "luis", now=NOW, channels=("messenger",)) is None
    assert find_contact(conn, "nobody", now=NOW) is None


def test_send_refuses_opted_out_people_and_queues_each_key_once(conn, lead) -> None:
    lead("ana", channel="whatsapp", phone="+50761112222", last_inbound_at=NOW - hours(30))
    contact = find_contact(conn, "ana", now=NOW)
    first = send(conn, contact, HELLO, "nurturing", "k:1", NOW)
    again = send(conn, contact, HELLO, "nurturing", "k:1", NOW)
    assert (first.kind, first.outbox_id is not None) == ("template", True)
    assert (again.outbox_id, again.reason) == (None, "already queued")
    insert(conn, "app.opt_outs", channel="whatsapp", person_id="50761112222")
    assert send(conn, contact, HELLO, "nurturing", "k:2", NOW).reason == "opted out"


def test_an_open_window_beats_a_closed_one_and_whatsapp_beats_a_closed_messenger(
    conn, lead
) -> None:
    lead("ana", channel="messenger", phone="+50761112222", last_inbound_at=NOW - hours(30))
    contact = find_contact(conn, "ana", now=NOW)  # Messenger's window closed: the phone
    assert (contact.channel, contact.recipient_id) == ("whatsapp", "50761112222")
    assert send(conn, contact, HELLO, "nurturing", "k:phone", NOW).kind == "template"
    assert find_contact(conn, "ana", now=NOW - hours(10)).channel == "messenger"


def test_a_closed_messenger_thread_without_a_phone_says_why_nothing_goes(conn, lead) -> None:
    lead("eva", channel="messenger", last_inbound_at=NOW - hours(30))
    contact = find_contact(conn, "eva", now=NOW)
    assert contact.channel == "messenger"
    sent = send(conn, contact, HELLO, "nurturing", "k:eva", NOW)
    assert (sent.outbox_id, sent.reason) == (
        None,
        "outside the 24 h window, no template on messenger",
    )


def test_an_opt_out_on_any_channel_covers_the_lead(conn, lead) -> None:
    lead("ana", channel="whatsapp", phone="+50761112222", last_inbound_at=NOW - hours(1))
    insert(conn, "app.opt_outs", channel="messenger", person_id="psid-9", lead_id="ana")
    sent = send(conn, find_contact(conn, "ana", now=NOW), HELLO, "nurturing", "k:3", NOW)
    assert (sent.outbox_id, sent.reason) == (None, "opted out")
