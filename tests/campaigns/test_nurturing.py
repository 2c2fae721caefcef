"""The nurturing flow on the sequence engine: who is enrolled, what is sent when, who
leaves, and that no step is ever sent twice."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path

import psycopg
from campaign_world import NOW, hours, insert, sequence_from

from crm.campaigns.nurturing import process_nurturing
from crm.campaigns.sequences import in_holdout
from ingestion.landing import land, prepare_delivery

META = Path(__file__).resolve().parents[1] / "fixtures" / "meta"

TWO_STEPS = [
    {
        "delay_hours": 2,
        "text": {"es": "Hola {first_name}, ¿viste los precios?", "en": "Hi {first_name}"},
        "template": {"name": "price_followup", "parameters": ["first_name"]},
    },
    {
        "delay_hours": 24,
        "after": "previous",
        "text": {"es": "Segundo mensaje", "en": "Second message"},
        "template": {"name": "price_instalments"},
    },
]


def enrolled(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "select lead_id, test_group, step, status, exit_reason from app.campaign_enrollments"
        " order by lead_id"
    ).fetchall()


def test_only_leads_matching_every_rule_are_enrolled(conn, lead) -> None:
    lead("warm-price", tier="warm", intent="price_inquiry")
    lead("warm-greeting", tier="warm", intent="greeting")
    lead("hot-price", tier="hot", intent="price_inquiry")
    lead("warm-price-champion", tier="warm", intent="price_inquiry", segment="champion")
    rules = {"tiers": ["warm"], "intents": ["price_inquiry"]}
    report = process_nurturing(conn, [sequence_from(enrol=rules)], NOW)
    assert [row[0] for row in enrolled(conn)] == ["warm-price", "warm-price-champion"]
    assert report.tallies[0].enrolled == 2
    segment = {"tiers": ["warm"], "segments": ["champion"]}
    process_nurturing(conn, [sequence_from(name="vip", enrol=segment)], NOW)
    vip = conn.execute("select lead_id from app.campaign_enrollments where sequence = 'vip'")
    assert vip.fetchall() == [("warm-price-champion",)]


def test_has_phone_rule_needs_a_phone_or_a_whatsapp_thread(conn, lead) -> None:
    lead("on-messenger", tier="cold", channel="messenger")
    lead("phone-only", tier="cold", channel=None, phone="+50760000001")
    lead("on-whatsapp", tier="cold", channel="whatsapp")
    process_nurturing(conn, [sequence_from(enrol={"tiers": ["cold"], "has_phone": True})], NOW)
    assert [row[0] for row in enrolled(conn)] == ["on-whatsapp", "phone-only"]


def test_opted_out_leads_are_not_enrolled(conn, lead) -> None:
    lead("gone", tier="warm")
    insert(conn, "app.opt_outs", channel="whatsapp", person_id="x", lead_id="gone")
    process_nurturing(conn, [sequence_from()], NOW)
    assert enrolled(conn) == []


def test_holdout_is_enrolled_never_messaged_and_the_same_every_time(conn, lead, outbox) -> None:
    leads = [f"lead-{n:02d}" for n in range(40)]
    for lead_id in leads:
        lead(lead_id, tier="warm", last_inbound_at=NOW - hours(1))
    sequence = sequence_from(holdout_share=0.3, steps=TWO_STEPS)
    process_nurturing(conn, [sequence], NOW)
    for moment in (NOW + hours(2), NOW + hours(30)):
        process_nurturing(conn, [sequence], moment)
    groups = dict(conn.execute("select lead_id, test_group from app.campaign_enrollments"))
    held = {lead_id for lead_id, group in groups.items() if group == "holdout"}
    assert held == {x for x in leads if in_holdout(x, "test_seq", 0.3)}
    assert 4 <= len(held) <= 20  # about 30 % of 40
    messaged = {row[0] for row in outbox()}
    assert messaged == set(leads) - held
    assert len(outbox()) == 2 * len(messaged)
    steps = conn.execute(
        "select s.outcome, count(*) from app.campaign_steps s join app.campaign_enrollments e"
        " using (enrollment_id) where e.test_group = 'holdout' group by 1"
    ).fetchall()
    assert steps == [("held_out", 2 * len(held))]


def test_steps_wait_for_their_delay_from_the_start_or_the_previous_step(conn, lead, outbox):
    lead("ana", tier="warm", last_inbound_at=NOW - hours(1))
    sequence = sequence_from(steps=TWO_STEPS)
    process_nurturing(conn, [sequence], NOW)
    assert outbox() == []  # step 1 is due 2 h after enrolment
    process_nurturing(conn, [sequence], NOW + hours(1.9))
    assert outbox() == []
    process_nurturing(conn, [sequence], NOW + hours(3))  # step 1 goes, late by an hour
    assert [row[3] for row in outbox()] == ["test_seq:ana:1"]
    process_nurturing(conn, [sequence], NOW + hours(26))  # 23 h after step 1: not yet
    assert len(outbox()) == 1
    report = process_nurturing(conn, [sequence], NOW + hours(27))
    assert [row[3] for row in outbox()] == ["test_seq:ana:1", "test_seq:ana:2"]
    assert report.tallies[0].completed == 1
    assert enrolled(conn) == [("ana", "treatment", 2, "completed", None)]


def test_inside_the_window_free_text_outside_it_the_template(conn, lead, outbox) -> None:
    lead("recent", tier="warm", last_inbound_at=NOW - hours(3), name="Ana Pérez")
    lead("old", tier="warm", last_inbound_at=NOW - hours(30), name="Luis Ruiz")
    process_nurturing(conn, [sequence_from()], NOW)
    sent = {lead_id: (kind, body) for lead_id, _, kind, _, body in outbox()}
    (recent_kind, recent), (old_kind, old) = sent["recent"], sent["old"]
    assert (recent_kind, recent["text"]["body"]) == ("text", "Hola Ana")
    assert old_kind == "template"
    assert old["template"]["name"] == "nudge"
    assert old["template"]["components"][0]["parameters"] == [{"type": "text", "text": "Luis"}]


def test_english_speakers_get_the_english_text(conn, lead, outbox) -> None:
    lead("en", tier="warm", last_inbound_at=NOW - hours(1), name="John Smith", language="en")
    process_nurturing(conn, [sequence_from()], NOW)
    assert outbox()[0][4]["text"]["body"] == "Hi John"


def test_messenger_outside_the_window_is_skipped_with_its_reason(conn, lead, outbox) -> None:
    lead("psid", tier="warm", channel="messenger", last_inbound_at=NOW - hours(48))
    report = process_nurturing(conn, [sequence_from()], NOW)
    assert outbox() == []
    skipped = [a for a in report.actions if a.action == "skipped"]
    assert [(a.channel, a.reason) for a in skipped] == [
        ("messenger", "outside the 24 h window, no template on messenger")
    ]
    assert report.tallies[0].skipped == 1
    log = conn.execute("select outcome, reason from app.campaign_steps").fetchall()
    assert log == [("skipped", "outside the 24 h window, no template on messenger")]


def test_a_preferred_channel_is_used_over_the_latest_conversation(conn, lead, outbox) -> None:
    lead("two", tier="warm", channel="messenger", last_inbound_at=NOW - hours(1))
    insert(
        conn,
        "app.conversations",
        channel="whatsapp",
        person_id="50761112222",
        lead_id="two",
        last_inbound_at=NOW - hours(40),
    )
    steps = [TWO_STEPS[0] | {"delay_hours": 0, "channels": ["whatsapp"]}]
    process_nurturing(conn, [sequence_from(steps=steps)], NOW)
    assert [(row[1], row[2]) for row in outbox()] == [("whatsapp", "template")]


def test_a_reply_after_enrolment_ends_the_sequence(conn, lead, outbox) -> None:
    lead("ana", tier="warm", last_inbound_at=NOW - hours(1))
    sequence = sequence_from(steps=TWO_STEPS)
    process_nurturing(conn, [sequence], NOW)
    conn.execute("update app.conversations set last_inbound_at = %s", (NOW + hours(1),))
    report = process_nurturing(conn, [sequence], NOW + hours(3))
    assert outbox() == []
    assert report.tallies[0].exited == {"replied": 1}
    assert enrolled(conn) == [("ana", "treatment", 0, "exited", "replied")]


def test_a_reply_landed_but_not_yet_handled_also_ends_it(conn, lead, outbox, db) -> None:
    lead("ana", tier="warm", channel=None, phone="+50761234567")
    sequence = sequence_from(steps=TWO_STEPS)
    process_nurturing(conn, [sequence], NOW)
    delivery = json.loads((META / "whatsapp_text.json").read_text())  # from wa_id 50761234567
    message = delivery["entry"][0]["changes"][0]["value"]["messages"][0]
    message["timestamp"] = str(int((NOW + hours(1)).timestamp()))
    land(db, [prepare_delivery(json.dumps(delivery).encode())])
    process_nurturing(conn, [sequence], NOW + hours(3))
    assert enrolled(conn)[0][3:] == ("exited", "replied")


def test_an_order_after_enrolment_ends_the_sequence(conn, lead, outbox) -> None:
    lead("ana", tier="warm", email="ana@example.com", last_inbound_at=NOW - hours(1))
    sequence = sequence_from(steps=TWO_STEPS)
    process_nurturing(conn, [sequence], NOW)
    order = {"id": 1, "email": "Ana@Example.com", "created_at": (NOW + hours(1)).isoformat()}
    insert(
        conn,
        "raw.commerce_events",
        source="shopify",
        topic="orders/create",
        webhook_id="1",
        resource_id="1",
        occurred_at=NOW + hours(1),
        body=order,
        body_sha256="x",
    )
    report = process_nurturing(conn, [sequence], NOW + hours(3))
    assert report.tallies[0].exited == {"purchased": 1}
    assert outbox() == []


def test_an_opt_out_ends_the_sequence(conn, lead, outbox) -> None:
    lead("ana", tier="warm", phone="+50761234567", last_inbound_at=NOW - hours(30))
    sequence = sequence_from(steps=[TWO_STEPS[0] | {"delay_hours": 0}, TWO_STEPS[1]])
    process_nurturing(conn, [sequence], NOW)
    assert len(outbox()) == 1
    insert(conn, "app.opt_outs", channel="whatsapp", person_id="50761234567")
    report = process_nurturing(conn, [sequence], NOW + hours(48))
    assert len(outbox()) == 1
    assert report.tallies[0].exited == {"opted_out": 1}


def test_processing_twice_queues_each_step_once(conn, lead, outbox) -> None:
    for lead_id in ("a", "b", "c"):
        lead(lead_id, tier="warm", last_inbound_at=NOW - hours(1))
    sequence = sequence_from(steps=TWO_STEPS)
    for moment in (NOW, NOW + hours(3), NOW + hours(3), NOW + hours(40), NOW + hours(40)):
        process_nurturing(conn, [sequence], moment)
    keys = [row[3] for row in outbox()]
    assert sorted(keys) == [f"test_seq:{x}:{n}" for x in "abc" for n in (1, 2)]
    assert conn.execute("select count(*) from app.campaign_steps").fetchone() == (6,)


def test_a_dry_run_reports_and_changes_nothing(conn, lead, outbox) -> None:
    lead("ana", tier="warm", last_inbound_at=NOW - hours(1))
    report = process_nurturing(conn, [sequence_from()], NOW, dry_run=True)
    assert [a.action for a in report.actions] == ["enrolled", "queued", "completed"]
    assert (outbox(), enrolled(conn)) == ([], [])


def test_two_runners_at_once_send_each_step_once(conn, lead, outbox, db) -> None:
    leads = [f"lead-{n:02d}" for n in range(30)]
    for lead_id in leads:
        lead(lead_id, tier="warm", last_inbound_at=NOW - hours(1))
    sequence = sequence_from()
    barrier, reports, errors = threading.Barrier(2), [], []

    def runner() -> None:
        try:
            with psycopg.connect(db, autocommit=True) as own:
                barrier.wait()
                reports.append(process_nurturing(own, [sequence], NOW + timedelta(seconds=1)))
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(row[0] for row in outbox()) == leads
    assert sum(t.sent for r in reports for t in r.tallies) == len(leads)
    assert sum(t.enrolled for r in reports for t in r.tallies) == len(leads)
