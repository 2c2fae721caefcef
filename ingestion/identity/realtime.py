"""Real-time linking: a message from a new sender joins an existing lead at once when a
deterministic key matches, without waiting for the next pipeline run.

Only the rules that need no model are used here (the sender's own id, a valid phone key,
an e-mail key), and only when they point at exactly one lead: an ambiguous match waits
for the batch matcher, which sees everything. The link is written to `ml.identity_links`
so the next run keeps the same lead_id (it treats it as last run's assignment).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa

from ingestion.hygiene.emails import clean_email
from ingestion.hygiene.phones import clean_phone

OWN = sa.text("select lead_id, match_rule from ml.identity_links where record_id = :record_id")
KEY_COLUMNS = {"same_phone": "phone_key", "same_email": "email_key"}
BY_KEY = {
    rule: sa.text(
        f"select lead_id, min(record_id) as via from ml.identity_links "
        f"where {column} = :key group by lead_id"
    )
    for rule, column in KEY_COLUMNS.items()
}
INSERT = sa.text(
    """
    insert into ml.identity_links (record_id, source, source_id, lead_id, match_confidence,
        match_rule, reasons, phone_key, phone_e164, email_key, email)
    values (:record_id, :source, :source_id, :lead_id, 1.0, :rule, cast(:reasons as jsonb),
        :phone_key, :phone_e164, :email_key, :email)
    on conflict (record_id) do nothing
    """
)


@dataclass(frozen=True)
class SenderLink:
    """The sender's lead and the rule that found it (`same_source_id` when already known)."""

    lead_id: str
    match_rule: str
    linked_now: bool


def link_sender(
    engine: sa.Engine,
    source: str,
    source_id: str,
    phone: str | None = None,
    email: str | None = None,
    region: str = "PA",
) -> SenderLink | None:
    """The lead of a sender: known already, or found now by a valid phone or e-mail key
    that belongs to exactly one lead (then stored). None: nothing certain yet."""
    record_id = f"{source}:{source_id}"
    cleaned_phone, cleaned_email = clean_phone(phone, region), clean_email(email)
    keys = [
        ("same_phone", cleaned_phone.phone_key if cleaned_phone.valid else None),
        ("same_email", cleaned_email.email_key),
    ]
    with engine.begin() as connection:
        own = connection.execute(OWN, {"record_id": record_id}).first()
        if own is not None:
            return SenderLink(own.lead_id, own.match_rule, linked_now=False)
        for rule, key in keys:
            if key is None:
                continue
            leads = connection.execute(BY_KEY[rule], {"key": key}).all()
            if len(leads) == 1:
                connection.execute(INSERT, {
                    "record_id": record_id, "source": source, "source_id": source_id,
                    "lead_id": leads[0].lead_id, "rule": rule,
                    "reasons": json.dumps([f"{rule} with {leads[0].via} (real time)"]),
                    "phone_key": keys[0][1],
                    "phone_e164": cleaned_phone.e164 if cleaned_phone.valid else None,
                    "email_key": cleaned_email.email_key, "email": cleaned_email.email,
                })  # fmt: skip
                return SenderLink(leads[0].lead_id, rule, linked_now=True)
    return None
