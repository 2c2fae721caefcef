"""Sales closer and comment moderation tables in `app`: discount offers, close decisions,
and what was done about each comment.

Each is keyed so a replayed call writes nothing twice: an offer by (lead, sequence) so a
lead never gets more offers than its limit even under concurrent calls, a close decision
by its idempotency key, a comment action by (channel, comment id).

Revision ID: 0011_comments
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011_comments"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.execute("create schema if not exists app")
    op.create_table(
        "sales_offers",
        sa.Column("offer_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False, comment="1 for the lead's first offer"),
        sa.Column("conversation_id", sa.BigInteger),
        sa.Column("segment", sa.Text, comment="RFM segment or lead tier the limit came from"),
        sa.Column("discount_percent", sa.Numeric(5, 2), nullable=False),
        sa.Column("product", sa.Text),
        sa.Column("close_key", sa.Text, nullable=False, comment="the close call that made it"),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("lead_id", "sequence", name="uq_sales_offers_lead_sequence"),
        sa.CheckConstraint("discount_percent > 0 and discount_percent <= 100", name="ck_percent"),
        schema="app",
        comment="Discounts offered by the AI closer: one row per offer, with its expiry.",
    )
    op.create_table(
        "sales_closes",
        sa.Column("close_key", sa.Text, primary_key=True, comment="close:<conv>:<event>"),
        sa.Column("conversation_id", sa.BigInteger, nullable=False),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("decision", JSONB, nullable=False),
        sa.Column("outbox_id", sa.BigInteger),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        schema="app",
        comment="Each AI closer decision, once per conversation and latest inbound message.",
    )
    op.create_table(
        "comment_actions",
        sa.Column("channel", sa.Text, primary_key=True, comment="instagram or messenger (Page)"),
        sa.Column("comment_id", sa.Text, primary_key=True),
        sa.Column("post_id", sa.Text),
        sa.Column("author_id", sa.Text),
        sa.Column("lead_id", sa.Text),
        sa.Column("handoff_id", sa.BigInteger, comment="a complaint's handoff"),
        sa.Column("text", sa.Text),
        sa.Column("label", sa.Text, nullable=False, comment="question, spam, complaint, ..."),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("actions", JSONB, nullable=False, comment="what was queued or why not"),
        sa.Column("outbox_ids", JSONB, nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        schema="app",
        comment="Each comment classified once, with the public / private / hide actions.",
    )


def downgrade() -> None:
    for table in ("comment_actions", "sales_closes", "sales_offers"):
        op.drop_table(table, schema="app")
