"""Invoices landed from CSV (`raw.invoices`) and the payment reminders sent for them
(`app.payment_reminders`).

`raw.invoices` keeps one row per distinct version of an invoice (number, sha256 of the
CSV row), so re-importing a file adds nothing and a later file that marks an invoice paid
or corrects its amount lands as a newer version. `app.payment_reminders` holds one row
per (invoice, step) ever sent: its key is what makes "never the same reminder twice" hold
across runs, processes and crashes.

Revision ID: 0009_invoices
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009_invoices"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.execute("create schema if not exists app")
    op.create_table(
        "invoices",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("invoice_number", sa.Text, nullable=False),
        sa.Column("customer_email", sa.Text, comment="as written (trimmed)"),
        sa.Column("customer_phone", sa.Text, comment="as written (trimmed)"),
        sa.Column("phone_e164", sa.Text, comment="the phone through ingestion.hygiene at import"),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.Text, nullable=False, comment="ISO 4217, upper case"),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("paid_at", TS, comment="null while unpaid"),
        sa.Column("record", JSONB, nullable=False, comment="the CSV row, every column as text"),
        sa.Column("record_sha256", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("loaded_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("invoice_number", "record_sha256", name="uq_invoices_version"),
        sa.CheckConstraint("amount >= 0", name="ck_invoices_amount"),
        sa.CheckConstraint("due_on >= issued_on", name="ck_invoices_due_after_issue"),
        schema="raw",
        comment="Invoice imports; one row per distinct version of an invoice, latest wins.",
    )
    op.create_index(
        "ix_invoices_number_loaded", "invoices", ["invoice_number", "loaded_at"], schema="raw"
    )
    op.create_table(
        "payment_reminders",
        sa.Column("invoice_number", sa.Text, primary_key=True),
        sa.Column("step", sa.Text, primary_key=True, comment="before_3, due, after_7 ..."),
        sa.Column("tone", sa.Text, nullable=False, comment="friendly, firm, final"),
        sa.Column("lead_id", sa.Text),
        sa.Column("outbox_id", sa.BigInteger, comment="app.outbox row that carries it"),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False, comment="text or template"),
        sa.Column("days_from_due", sa.Integer, nullable=False),
        sa.Column("sent_at", TS, nullable=False, server_default=NOW),
        schema="app",
        comment="Each payment reminder step queued for an invoice, once (flow 13).",
    )


def downgrade() -> None:
    op.drop_table("payment_reminders", schema="app")
    op.drop_table("invoices", schema="raw")
