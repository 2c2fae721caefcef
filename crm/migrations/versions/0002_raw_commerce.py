"""Commerce webhooks (Shopify format) landing in `raw.commerce_events`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commerce_events",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("source", sa.Text, nullable=False, comment="shopify, ..."),
        sa.Column("topic", sa.Text, nullable=False, comment="X-Shopify-Topic, e.g. orders/paid"),
        sa.Column("webhook_id", sa.Text, nullable=False, comment="X-Shopify-Webhook-Id"),
        sa.Column("shop_domain", sa.Text, comment="X-Shopify-Shop-Domain"),
        sa.Column("resource_id", sa.Text, comment="order id, checkout token or refund id"),
        sa.Column("occurred_at", sa.DateTime(timezone=True), comment="updated_at / created_at"),
        sa.Column("body", JSONB, nullable=False, comment="the delivery verbatim"),
        sa.Column("body_sha256", sa.Text, nullable=False),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
        sa.UniqueConstraint("source", "webhook_id", name="uq_commerce_events_webhook"),
        schema="raw",
        comment="One row per accepted commerce webhook; a redelivery (same webhook id) adds none.",
    )
    op.create_index(
        "ix_commerce_events_topic_resource",
        "commerce_events",
        ["topic", "resource_id"],
        schema="raw",
    )


def downgrade() -> None:
    op.drop_table("commerce_events", schema="raw")
