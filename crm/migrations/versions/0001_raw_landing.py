"""Landing tables in `raw` and the operational `app.pipeline_runs`.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NOW = sa.text("now()")


def upgrade() -> None:
    for schema in ("raw", "app", "ml"):
        op.execute(f"create schema if not exists {schema}")

    op.create_table(
        "webhook_deliveries",
        sa.Column("delivery_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("source", sa.Text, nullable=False, comment="meta, ..."),
        sa.Column("object", sa.Text, nullable=False, comment="payload's object field"),
        sa.Column("body", JSONB, nullable=False, comment="the delivery verbatim"),
        sa.Column("body_sha256", sa.Text, nullable=False),
        sa.Column("event_count", sa.Integer, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        schema="raw",
        comment="Every accepted webhook delivery, verbatim, append-only.",
    )
    op.create_index(
        "ix_webhook_deliveries_received_at", "webhook_deliveries", ["received_at"], schema="raw"
    )

    op.create_table(
        "channel_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "delivery_id",
            sa.BigInteger,
            sa.ForeignKey("raw.webhook_deliveries.delivery_id"),
            nullable=False,
        ),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("subtype", sa.Text, comment="message type, status value, receipt kind, field"),
        sa.Column("account_id", sa.Text, comment="entry id: WABA, Instagram account or Page"),
        sa.Column("business_id", sa.Text, comment="phone_number_id / IG or Page id that was hit"),
        sa.Column("direction", sa.Text, nullable=False, comment="inbound or outbound"),
        sa.Column("person_id", sa.Text, comment="customer's channel id: wa_id, IGSID, PSID"),
        sa.Column("person_user_id", sa.Text, comment="WhatsApp business-scoped user id"),
        sa.Column("person_username", sa.Text, comment="Instagram username"),
        sa.Column("person_name", sa.Text, comment="profile name as the channel gives it"),
        sa.Column("occurred_at", sa.DateTime(timezone=True)),
        sa.Column("text", sa.Text),
        sa.Column("reply_to", sa.Text, comment="id of the message or comment this refers to"),
        sa.Column("payload", JSONB, nullable=False, comment="the event object verbatim"),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.UniqueConstraint("channel", "event_type", "event_id", name="uq_channel_events_key"),
        sa.CheckConstraint(
            "channel in ('whatsapp', 'instagram', 'messenger')", name="ck_channel_events_channel"
        ),
        sa.CheckConstraint(
            "direction in ('inbound', 'outbound')", name="ck_channel_events_direction"
        ),
        sa.CheckConstraint(
            "event_type in ('message', 'reaction', 'postback', 'comment', 'edit', 'echo', "
            "'status', 'receipt', 'unknown')",
            name="ck_channel_events_event_type",
        ),
        schema="raw",
        comment="One row per event of a delivery; redeliveries add nothing.",
    )

    op.create_table(
        "contacts",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("external_id", sa.Text, nullable=False),
        sa.Column("record", JSONB, nullable=False, comment="the CSV row, every column as text"),
        sa.Column("record_sha256", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("line_number", sa.Integer, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.UniqueConstraint("external_id", "record_sha256", name="uq_contacts_version"),
        schema="raw",
        comment="CRM contact exports; one row per distinct version of a contact.",
    )

    op.create_table(
        "pipeline_runs",
        sa.Column("run_id", sa.Text, primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("detail", JSONB),
        schema="app",
        comment="Pipeline runs as the API's /health reports them.",
    )


def downgrade() -> None:
    op.drop_table("pipeline_runs", schema="app")
    op.drop_table("contacts", schema="raw")
    op.drop_table("channel_events", schema="raw")
    op.drop_table("webhook_deliveries", schema="raw")
