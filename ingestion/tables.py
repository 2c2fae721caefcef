"""SQLAlchemy views of the `raw` landing tables, for code that reads or writes them.

The tables are created and evolved by the Alembic migrations in `crm/migrations`; these
objects only describe the columns ingestion touches (they never create anything).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData(schema="raw")

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("delivery_id", sa.BigInteger, primary_key=True),
    sa.Column("source", sa.Text),
    sa.Column("object", sa.Text),
    sa.Column("body", JSONB),
    sa.Column("body_sha256", sa.Text),
    sa.Column("event_count", sa.Integer),
    sa.Column("received_at", sa.DateTime(timezone=True)),
)

channel_events = sa.Table(
    "channel_events",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("delivery_id", sa.BigInteger),
    *(
        sa.Column(name, sa.Text)
        for name in (
            "channel",
            "event_type",
            "event_id",
            "subtype",
            "account_id",
            "business_id",
            "direction",
            "person_id",
            "person_user_id",
            "person_username",
            "person_name",
            "text",
            "reply_to",
        )
    ),
    sa.Column("occurred_at", sa.DateTime(timezone=True)),
    sa.Column("payload", JSONB),
    sa.Column("received_at", sa.DateTime(timezone=True)),
)

contacts = sa.Table(
    "contacts",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("external_id", sa.Text, nullable=False),
    sa.Column("record", JSONB, nullable=False),
    sa.Column("record_sha256", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("line_number", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True)),
)
