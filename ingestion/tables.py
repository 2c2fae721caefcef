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
