"""Hygiene and enrichment outputs: `ml.clean_identities` and `ml.enriched_identities`.

Both hold one row per source identity (source, source_id) and are replaced whole by
their Dagster asset on every run; dbt reads them as sources.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
EMPTY_LIST = sa.text("'[]'::jsonb")


def _text(name: str, comment: str | None = None) -> sa.Column:
    return sa.Column(name, sa.Text, comment=comment)


def _keys() -> list[sa.Column]:
    return [
        sa.Column("source", sa.Text, primary_key=True, comment="whatsapp, instagram, import, ..."),
        sa.Column("source_id", sa.Text, primary_key=True, comment="wa_id, IGSID, external_id ..."),
    ]


def _list(name: str, comment: str | None = None) -> sa.Column:
    return sa.Column(name, JSONB, nullable=False, server_default=EMPTY_LIST, comment=comment)


def _clean_columns() -> list[sa.Column]:
    return [
        _text("display_name", "name as shown: accents kept, emoji and honorifics removed"),
        _text("name_match", "matching form: no accents, case, punctuation or honorifics"),
        _text("first_name"),
        _text("last_name", "every surname, particles kept"),
        _list("last_names", "each surname with its particles, for element-wise matching"),
        _text("phone_raw", "the phone as the source gave it"),
        _text("phone_e164"),
        _text("phone_key", "E.164 digits with the MX 521 and BR 9th-digit variants folded"),
        sa.Column("phone_valid", sa.Boolean, nullable=False),
        _text("phone_line_type", "mobile, fixed_line, fixed_line_or_mobile, voip, ..."),
        _text("phone_region", "ISO alpha-2 region of the number"),
        _text("email_raw", "the e-mail as the source gave it"),
        _text("email", "valid addresses only, lower-cased, typos fixed"),
        _text("email_key", "provider-aware key: gmail dots and +tags dropped"),
        sa.Column("email_valid", sa.Boolean, nullable=False),
        _text("email_domain"),
        _text("email_domain_type", "free or corporate"),
        _text("company"),
        _text("street"),
        _text("street_key", "comparable street: folded, abbreviations expanded"),
        _text("city"),
        _text("city_key", "comparable city: folded, aliases unified"),
        _text("postcode"),
        _text("state"),
        _text("country_code", "ISO alpha-2: the record's country, else the phone's region"),
        sa.Column("date_of_birth", sa.Date),
        _list("fixes", 'what was changed, as "field:what"'),
        _list("issues", 'problems found, as {"field", "problem"}'),
        sa.Column("cleaned_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    ]


def _enrichment_columns() -> list[sa.Column]:
    return [
        _text("country_code", "from the phone, else the record"),
        _text("phone_region_name", "geocoder description of the number (city or country)"),
        _text("time_zone", "IANA time zone of the number, else of the country"),
        _text("utc_offset", "the time zone's offset when enriched, +HH:MM"),
        _text("contact_window_utc", "local business hours for contact, in UTC (HH:MM-HH:MM)"),
        _text("phone_line_type"),
        _text("phone_carrier", "original carrier of a mobile number (ported numbers keep it)"),
        _text("language", "ISO 639-1, from the inbound messages, else the country"),
        sa.Column("language_confidence", sa.Float),
        _text("language_basis", "messages or country"),
        sa.Column("inbound_message_count", sa.Integer, nullable=False, server_default="0"),
        _text("email_domain"),
        _text("email_domain_type", "free or corporate"),
        _text("company", "the record's company, else guessed from a corporate domain"),
        sa.Column("enriched_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
    ]


def upgrade() -> None:
    op.create_table(
        "clean_identities",
        *_keys(),
        *_clean_columns(),
        schema="ml",
        comment="One cleaned source identity; replaced whole by the hygiene asset each run.",
    )
    op.create_table(
        "enriched_identities",
        *_keys(),
        *_enrichment_columns(),
        schema="ml",
        comment="Offline enrichment of one source identity; replaced whole each run.",
    )


def downgrade() -> None:
    op.drop_table("enriched_identities", schema="ml")
    op.drop_table("clean_identities", schema="ml")
