"""The dbt project builds on a small known set of raw rows, and its marts say exactly that.

The input: WhatsApp (two people, one known only by the business-scoped user id; a 25 h gap;
an outbound message known only from statuses delivered, read, then a late sent; a failed
one), Instagram (a message, its edit, an echo, a comment), Messenger (a message, two echoes,
a delivery receipt, a read watermark) and a contacts import (two contacts, one in two
versions). dbt runs as a subprocess against the test database, once for the module.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from dbt_runner import Built
from psycopg.types.json import Jsonb

PROJECT_DIR = Path(__file__).resolve().parents[2] / "dbt_project"
T0 = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
ANA_WA = "50761234567"  # WhatsApp, with wa_id
BETO_USER = "PB.2"  # WhatsApp, business-scoped user id only
CARLA_IG, DANI_IG = "1789001", "1789002"  # Instagram IGSIDs
EVA_PSID = "2468001"  # Messenger PSID


def at(hours: float = 0, minutes: float = 0) -> datetime:
    return T0 + timedelta(hours=hours, minutes=minutes)


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def md5(*parts: str) -> str:
    return hashlib.md5(":".join(parts).encode()).hexdigest()


def lead(source: str, source_id: str) -> str:
    return md5(source, source_id)


def conversation(channel: str, source_id: str, first_message_id: str) -> str:
    return md5(channel, source_id, first_message_id)


# fmt: off
# delivery, channel, event_type, event_id, subtype, direction, person_id, person_user_id,
# person_username, person_name, occurred_at, text, reply_to, payload
ANA_CONTACT = {"_contact": {"wa_id": ANA_WA, "user_id": "PA.1", "profile": {"name": "Ana"}}}
EVENTS = [
    (1, "whatsapp", "message", "wamid.m1", "text", "inbound", ANA_WA, "PA.1", None, "Ana",
     at(0), "Hola", None, ANA_CONTACT),
    (1, "whatsapp", "message", "wamid.m2", "text", "inbound", ANA_WA, "PA.1", None, "Ana",
     at(1), "Precio?", None, ANA_CONTACT),
    (1, "whatsapp", "status", "wamid.o1:delivered", "delivered", "outbound", ANA_WA, None, None,
     None, at(1, 5), None, "wamid.o1", {"id": "wamid.o1", "status": "delivered"}),
    (1, "whatsapp", "status", "wamid.o1:read", "read", "outbound", ANA_WA, None, None, None,
     at(1, 10), None, "wamid.o1", {"id": "wamid.o1", "status": "read"}),
    (1, "whatsapp", "status", "wamid.o1:sent", "sent", "outbound", ANA_WA, None, None, None,
     at(1, 2), None, "wamid.o1", {"id": "wamid.o1", "status": "sent"}),  # lands late
    (1, "whatsapp", "message", "wamid.m4", "image", "inbound", None, BETO_USER, None, "Beto",
     at(2), None, None, {"_contact": {"user_id": BETO_USER, "profile": {"name": "Beto"}}}),
    (1, "whatsapp", "message", "wamid.m3", "text", "inbound", ANA_WA, "PA.1", None, "Ana",
     at(26, 2), "Sigo interesado", None, ANA_CONTACT),  # 25 h after wamid.o1
    (1, "whatsapp", "reaction", "wamid.rx1", "react", "inbound", ANA_WA, "PA.1", None, "Ana",
     at(26, 3), None, "wamid.m2", ANA_CONTACT),
    (1, "whatsapp", "status", "wamid.o2:sent", "sent", "outbound", ANA_WA, None, None, None,
     at(26, 4), None, "wamid.o2", {"id": "wamid.o2", "status": "sent"}),
    (1, "whatsapp", "status", "wamid.o2:failed", "failed", "outbound", ANA_WA, None, None, None,
     at(26, 5), None, "wamid.o2",
     {"id": "wamid.o2", "status": "failed",
      "errors": [{"code": 131047, "title": "Re-engagement message"}]}),
    (2, "instagram", "message", "mid.i1", "text", "inbound", CARLA_IG, None, "carla.ig", None,
     at(3), "hi", None, {"message": {"mid": "mid.i1", "text": "hi"}}),
    (2, "instagram", "echo", "mid.e1", "text", "outbound", CARLA_IG, None, None, None,
     at(3, 1), "Hello Carla", None, {"message": {"mid": "mid.e1", "is_echo": True}}),
    (2, "instagram", "edit", "mid.i1:1", None, "inbound", CARLA_IG, None, None, None,
     at(3, 2), "hi there", "mid.i1", {"message_edit": {"mid": "mid.i1", "num_edit": 1}}),
    (2, "instagram", "comment", "c.1", "comments", "inbound", DANI_IG, None, "dani", None,
     at(4), "Love it", "media.1", {"field": "comments"}),
    (3, "messenger", "message", "m.mm1", "text", "inbound", EVA_PSID, None, None, None,
     at(5), "Hola", None, {"message": {"mid": "m.mm1"}}),
    (3, "messenger", "echo", "m.me1", "text", "outbound", EVA_PSID, None, None, None,
     at(5, 1), "Hola! En que te ayudo?", None, {"message": {"mid": "m.me1", "is_echo": True}}),
    (3, "messenger", "echo", "m.me2", "text", "outbound", EVA_PSID, None, None, None,
     at(5, 4), "Te envio el catalogo", None, {"message": {"mid": "m.me2", "is_echo": True}}),
    (3, "messenger", "receipt", "dlv.1", "delivery", "inbound", EVA_PSID, None, None, None,
     at(5, 5), None, None,
     {"delivery": {"mids": ["m.me1", "m.me2"], "watermark": ms(at(5, 5))}}),
    (3, "messenger", "receipt", "read.1", "read", "inbound", EVA_PSID, None, None, None,
     at(5, 6), None, None, {"read": {"watermark": ms(at(5, 2))}}),
]

CONTACTS = [  # external_id, record, imported_at
    ("X1", {"external_id": "X1", "full_name": "Ana Gomez", "email": "old@example.com",
            "phone": "+507 6123-4567", "country": "PA"}, datetime(2026, 1, 1, tzinfo=UTC)),
    ("X1", {"external_id": "X1", "first_name": " Ana ", "last_name": "Gómez", "full_name": "",
            "email": "ana@example.com", "phone": "+507 6123-4567", "country": "PA",
            "loyalty": "gold"}, datetime(2026, 1, 5, tzinfo=UTC)),
    ("X2", {"external_id": "X2", "full_name": "John Smith", "phone": "555 0100",
            "country": "US", "company": "Acme"}, datetime(2026, 1, 5, tzinfo=UTC)),
]
# fmt: on


def land(conn: psycopg.Connection) -> None:
    """Insert the known rows the way ingestion lands them."""
    for obj in ("whatsapp_business_account", "instagram", "page"):
        conn.execute(
            "insert into raw.webhook_deliveries"
            " (source, object, body, body_sha256, event_count)"
            " values ('meta', %s, %s, %s, 1)",
            (obj, Jsonb({"object": obj}), hashlib.sha256(obj.encode()).hexdigest()),
        )
    accounts = {
        "whatsapp": ("waba1", "pn1"),
        "instagram": ("ig1", "ig1"),
        "messenger": ("pg1", "pg1"),
    }
    for row in EVENTS:
        delivery, channel, *rest, payload = row
        conn.execute(
            "insert into raw.channel_events (delivery_id, channel, event_type, event_id,"
            " subtype, direction, person_id, person_user_id, person_username, person_name,"
            " occurred_at, text, reply_to, payload, account_id, business_id)"
            " values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (delivery, channel, *rest, Jsonb(payload), *accounts[channel]),
        )
    for line, (external_id, record, imported_at) in enumerate(CONTACTS, start=2):
        body = json.dumps(record, sort_keys=True)
        conn.execute(
            "insert into raw.contacts (external_id, record, record_sha256, file_name,"
            " line_number, imported_at) values (%s, %s, %s, 'contacts.csv', %s, %s)",
            (
                external_id,
                Jsonb(record),
                hashlib.sha256(body.encode()).hexdigest(),
                line,
                imported_at,
            ),
        )


@pytest.fixture(scope="module")
def built(build_dbt: Callable[[Callable[[psycopg.Connection], None]], Built]) -> Built:
    """The known rows landed in a clean database and built once for the module."""
    return build_dbt(land)


def test_dbt_build_succeeds(built: Built) -> None:
    assert built.build.returncode == 0, built.build.stdout[-5000:]
    assert "ERROR=0" in built.build.stdout


def test_dbt_docs_generate_works(built: Built) -> None:
    result = built.dbt("docs", "generate")
    assert result.returncode == 0, result.stdout[-5000:]
    assert (built.tmp / "target" / "catalog.json").exists()


def test_conversations_split_after_24_hours_and_open_within_24_hours_of_newest_event(
    built: Built,
) -> None:
    rows = built.rows(
        "select conversation_id, lead_id, channel, started_at, last_message_at, status,"
        " message_count, inbound_count, outbound_count from marts.fct_conversations"
    )
    expected = {
        (
            conversation("whatsapp", ANA_WA, "wamid.m1"),
            lead("whatsapp", ANA_WA),
            "whatsapp",
            at(0),
            at(1, 2),
            "closed",
            3,
            2,
            1,
        ),
        (
            conversation("whatsapp", ANA_WA, "wamid.m3"),
            lead("whatsapp", ANA_WA),
            "whatsapp",
            at(26, 2),
            at(26, 4),
            "open",
            2,
            1,
            1,
        ),
        (
            conversation("whatsapp", BETO_USER, "wamid.m4"),
            lead("whatsapp", BETO_USER),
            "whatsapp",
            at(2),
            at(2),
            "closed",
            1,
            1,
            0,
        ),
        (
            conversation("instagram", CARLA_IG, "mid.i1"),
            lead("instagram", CARLA_IG),
            "instagram",
            at(3),
            at(3, 1),
            "open",
            2,
            1,
            1,
        ),
        (
            conversation("instagram", DANI_IG, "c.1"),
            lead("instagram", DANI_IG),
            "instagram",
            at(4),
            at(4),
            "open",
            1,
            1,
            0,
        ),
        (
            conversation("messenger", EVA_PSID, "m.mm1"),
            lead("messenger", EVA_PSID),
            "messenger",
            at(5),
            at(5, 4),
            "open",
            3,
            1,
            2,
        ),
    }
    assert set(rows) == expected


def test_messages_carry_latest_status_edits_and_conversations(built: Built) -> None:
    rows = built.rows(
        "select message_id, channel, lead_id, conversation_id, direction, sent_at, text,"
        " message_kind, delivery_status, delivery_error_code from marts.fct_messages"
    )
    ana, beto = lead("whatsapp", ANA_WA), lead("whatsapp", BETO_USER)
    carla, dani, eva = (
        lead("instagram", CARLA_IG),
        lead("instagram", DANI_IG),
        lead("messenger", EVA_PSID),
    )
    ana1, ana2 = (
        conversation("whatsapp", ANA_WA, "wamid.m1"),
        conversation("whatsapp", ANA_WA, "wamid.m3"),
    )
    beto1 = conversation("whatsapp", BETO_USER, "wamid.m4")
    carla1, dani1 = (
        conversation("instagram", CARLA_IG, "mid.i1"),
        conversation("instagram", DANI_IG, "c.1"),
    )
    eva1 = conversation("messenger", EVA_PSID, "m.mm1")
    expected = {
        ("wamid.m1", "whatsapp", ana, ana1, "inbound", at(0), "Hola", "message", None, None),
        ("wamid.m2", "whatsapp", ana, ana1, "inbound", at(1), "Precio?", "message", None, None),
        ("wamid.o1", "whatsapp", ana, ana1, "outbound", at(1, 2), None, "message", "read", None),
        (
            "wamid.m3",
            "whatsapp",
            ana,
            ana2,
            "inbound",
            at(26, 2),
            "Sigo interesado",
            "message",
            None,
            None,
        ),
        (
            "wamid.o2",
            "whatsapp",
            ana,
            ana2,
            "outbound",
            at(26, 4),
            None,
            "message",
            "failed",
            "131047",
        ),
        ("wamid.m4", "whatsapp", beto, beto1, "inbound", at(2), None, "message", None, None),
        ("mid.i1", "instagram", carla, carla1, "inbound", at(3), "hi there", "message", None, None),
        (
            "mid.e1",
            "instagram",
            carla,
            carla1,
            "outbound",
            at(3, 1),
            "Hello Carla",
            "message",
            "sent",
            None,
        ),
        ("c.1", "instagram", dani, dani1, "inbound", at(4), "Love it", "comment", None, None),
        ("m.mm1", "messenger", eva, eva1, "inbound", at(5), "Hola", "message", None, None),
        (
            "m.me1",
            "messenger",
            eva,
            eva1,
            "outbound",
            at(5, 1),
            "Hola! En que te ayudo?",
            "message",
            "read",
            None,
        ),
        (
            "m.me2",
            "messenger",
            eva,
            eva1,
            "outbound",
            at(5, 4),
            "Te envio el catalogo",
            "message",
            "delivered",
            None,
        ),
    }
    assert set(rows) == expected


def test_ml_columns_are_null_until_the_ml_issue(built: Built) -> None:
    assert built.rows(
        "select count(*) from marts.fct_messages"
        " where language is not null or intent is not null or sentiment_score is not null"
    ) == [(0,)]
    assert built.rows(
        "select count(*) from marts.dim_leads where lead_score is not null"
        " or lead_tier is not null or close_probability is not null"
    ) == [(0,)]


def test_one_lead_per_channel_identity_or_imported_contact(built: Built) -> None:
    rows = built.rows(
        "select lead_id, display_name, phone_e164, email, country_code, first_seen_at,"
        " last_seen_at, message_count, first_channel from marts.dim_leads"
    )
    expected = {
        (
            lead("whatsapp", ANA_WA),
            "Ana",
            "+50761234567",
            None,
            "PA",
            at(0),
            at(26, 5),
            5,
            "whatsapp",
        ),
        (lead("whatsapp", BETO_USER), "Beto", None, None, None, at(2), at(2), 1, "whatsapp"),
        (
            lead("instagram", CARLA_IG),
            "carla.ig",
            None,
            None,
            None,
            at(3),
            at(3, 2),
            2,
            "instagram",
        ),
        (lead("instagram", DANI_IG), "dani", None, None, None, at(4), at(4), 1, "instagram"),
        (lead("messenger", EVA_PSID), None, None, None, None, at(5), at(5, 6), 3, "messenger"),
        (
            lead("import", "X1"),
            "Ana Gómez",
            "+50761234567",
            "ana@example.com",
            "PA",
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2026, 1, 5, tzinfo=UTC),
            0,
            None,
        ),
        (
            lead("import", "X2"),
            "John Smith",
            None,
            None,
            "US",
            datetime(2026, 1, 5, tzinfo=UTC),
            datetime(2026, 1, 5, tzinfo=UTC),
            0,
            None,
        ),
    }
    assert set(rows) == expected


def test_map_identity_maps_every_source_identity_to_its_lead(built: Built) -> None:
    rows = built.rows(
        "select source, source_id, lead_id, match_confidence, match_rule from marts.map_identity"
    )
    identities = [
        ("whatsapp", ANA_WA),
        ("whatsapp", BETO_USER),
        ("instagram", CARLA_IG),
        ("instagram", DANI_IG),
        ("messenger", EVA_PSID),
        ("import", "X1"),
        ("import", "X2"),
    ]
    assert sorted((s, i, lid, float(c), r) for s, i, lid, c, r in rows) == sorted(
        (s, i, lead(s, i), 1.0, "same_source_id") for s, i in identities
    )


def test_latest_contact_version_wins_and_keeps_extra_columns(built: Built) -> None:
    assert built.rows(
        "select external_id, first_name, full_name, email, attributes, version_count"
        " from staging.stg_crm__contacts order by external_id"
    ) == [
        ("X1", "Ana", None, "ana@example.com", {"loyalty": "gold"}, 2),
        ("X2", None, "John Smith", None, {}, 1),
    ]
