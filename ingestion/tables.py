"""SQLAlchemy views of the `raw` landing tables that ingestion writes through the ORM layer.

The tables are created and evolved by the Alembic migrations in `crm/migrations`; these
objects only describe the columns ingestion touches (they never create anything). Meta
deliveries are landed by one hand-written statement in `ingestion.landing` instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData(schema="raw")

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

invoices = sa.Table(
    "invoices",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("invoice_number", sa.Text, nullable=False),
    sa.Column("customer_email", sa.Text),
    sa.Column("customer_phone", sa.Text),
    sa.Column("phone_e164", sa.Text),
    sa.Column("amount", sa.Numeric(14, 2), nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("issued_on", sa.Date, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("paid_at", sa.DateTime(timezone=True)),
    sa.Column("record", JSONB, nullable=False),
    sa.Column("record_sha256", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("line_number", sa.Integer, nullable=False),
    sa.Column("loaded_at", sa.DateTime(timezone=True)),
)
