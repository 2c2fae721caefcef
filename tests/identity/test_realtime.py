"""Real-time linking of a new sender to an existing lead by a deterministic key."""

from __future__ import annotations

import psycopg
import pytest

from crm.database import get_engine
from ingestion.identity.realtime import link_sender


@pytest.fixture
def linked(db: str) -> str:
    """Two known identities: Juan (a valid Panama phone) and Ana (an e-mail)."""
    rows = [
        ("whatsapp", "50761234567", "L-JUAN", "50761234567", None),
        ("import", "C-2", "L-ANA", None, "analopez@gmail.com"),
        ("import", "C-3", "L-OTHER", None, "shared@x.com"),
        ("import", "C-4", "L-FOURTH", None, "shared@x.com"),
    ]
    with psycopg.connect(db, autocommit=True) as conn:
        for source, source_id, lead_id, phone_key, email_key in rows:
            conn.execute(
                "insert into ml.identity_links (record_id, source, source_id, lead_id,"
                " match_confidence, match_rule, phone_key, email_key)"
                " values (%s, %s, %s, %s, 1, 'same_source_id', %s, %s)",
                (f"{source}:{source_id}", source, source_id, lead_id, phone_key, email_key),
            )
    return db


def test_a_new_sender_with_a_known_phone_joins_that_lead_at_once(linked: str) -> None:
    link = link_sender(get_engine(), "instagram", "IG-9", phone="6123-4567", region="PA")
    assert (link.lead_id, link.match_rule, link.linked_now) == ("L-JUAN", "same_phone", True)
    again = link_sender(get_engine(), "instagram", "IG-9")
    assert (again.lead_id, again.linked_now) == ("L-JUAN", False)


def test_an_email_written_differently_finds_its_lead(linked: str) -> None:
    link = link_sender(get_engine(), "messenger", "PSID-1", email="Ana.Lopez+shop@GMAIL.com")
    assert (link.lead_id, link.match_rule) == ("L-ANA", "same_email")


def test_a_key_shared_by_two_leads_links_nothing(linked: str) -> None:
    assert link_sender(get_engine(), "messenger", "PSID-2", email="shared@x.com") is None
    with psycopg.connect(linked) as conn:
        count = conn.execute(
            "select count(*) from ml.identity_links where record_id = 'messenger:PSID-2'"
        ).fetchone()[0]
    assert count == 0


def test_an_unknown_sender_with_nothing_certain_is_not_linked(linked: str) -> None:
    assert link_sender(get_engine(), "instagram", "IG-10", phone="n/a") is None
