"""Everything we can say offline about one identity or lead, as one flat record.

The pipeline (`identities`) and `POST /api/v1/data/enrich` both call `enrich`, so a lead
enriched in real time and the same lead in the marts agree. The phone decides country
and time zone when it is valid; the record's country is the fallback, and then the
configured default region, for the language prior only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ingestion.enrichment.company import domain_facts
from ingestion.enrichment.hours import ContactHours, contact_hours
from ingestion.enrichment.language import detect_language
from ingestion.enrichment.phone import country_time_zone, phone_facts


@dataclass(frozen=True)
class Enrichment:
    """The columns of `ml.enriched_identities` (bar the keys), plus the contact hours."""

    country_code: str | None
    phone_region_name: str | None
    time_zone: str | None
    utc_offset: str | None
    contact_window_utc: str | None
    phone_line_type: str | None
    phone_carrier: str | None
    language: str | None
    language_confidence: float | None
    language_basis: str | None
    inbound_message_count: int
    email_domain: str | None
    email_domain_type: str | None
    company: str | None
    hours: ContactHours | None


def enrich(
    phone_e164: str | None = None,
    email: str | None = None,
    country_code: str | None = None,
    company: str | None = None,
    texts: Iterable[str | None] = (),
    message_count: int | None = None,
    default_region: str = "PA",
    at: datetime | None = None,
) -> Enrichment:
    """Enrich one person from a clean (valid) phone and e-mail, their country and messages.

    `texts` are the person's own (inbound) messages; `message_count` says how many there
    were when the caller passes only the latest (it defaults to the non-empty texts).
    """
    texts = [text for text in texts if text]
    phone = phone_facts(phone_e164)
    country = phone.country_code or country_code
    zone = phone.time_zone or country_time_zone(country)
    hours = contact_hours(zone, at)
    language = detect_language(texts, country or default_region)
    domain = domain_facts(email, company)
    return Enrichment(
        country_code=country,
        phone_region_name=phone.region_name,
        time_zone=zone,
        utc_offset=hours.utc_offset if hours else None,
        contact_window_utc=hours.window_utc if hours else None,
        phone_line_type=phone.line_type,
        phone_carrier=phone.carrier,
        language=language.language,
        language_confidence=language.confidence,
        language_basis=language.basis,
        inbound_message_count=len(texts) if message_count is None else message_count,
        email_domain=domain.domain,
        email_domain_type=domain.domain_type,
        company=domain.company,
        hours=hours,
    )
