"""Social content and metric alerts in `app`: generated posts and the alerts raised.

`app.content_posts` holds each generated post from draft to published, keyed by an
idempotency key so a repeated generate request stores nothing twice; what was (or, in a
dry run, would have been) sent to the Graph API is kept with it. `app.alerts` holds one
row per metric, dimension and day (a unique key, so a check run twice alerts once), with
its evidence and the state of its webhook delivery.

Revision ID: 0012_content_alerts
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012_content_alerts"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
TS = sa.DateTime(timezone=True)


def _content_posts() -> None:
    op.create_table(
        "content_posts",
        sa.Column("post_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("idempotency_key", sa.Text, nullable=False, unique=True),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("campaign", sa.Text, nullable=False),
        sa.Column("goal", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("tone", sa.Text, nullable=False),
        sa.Column("product", sa.Text, comment="product name from the knowledge base"),
        sa.Column("caption", sa.Text, nullable=False, comment="full text, hashtags included"),
        sa.Column("hashtags", JSONB, nullable=False, server_default="[]"),
        sa.Column("call_to_action", sa.Text),
        sa.Column("image_url", sa.Text),
        sa.Column("link", sa.Text),
        sa.Column("generator", sa.Text, nullable=False, comment="template, or the LLM used"),
        sa.Column("status", sa.Text, nullable=False, server_default="draft"),
        sa.Column("scheduled_for", TS),
        sa.Column("schedule_basis", JSONB, comment="why that time: history or default"),
        sa.Column("creation_id", sa.Text, comment="Instagram container id (step 1 of 2)"),
        sa.Column("provider_post_id", sa.Text),
        sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("request", JSONB, comment="what was (or would have been) posted"),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("published_at", TS),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint(
            "status in ('draft', 'scheduled', 'published', 'failed')",
            name="ck_content_posts_status",
        ),
        sa.CheckConstraint("channel in ('instagram', 'facebook')", name="ck_content_posts_channel"),
        schema="app",
        comment="One generated social post (Instagram or Facebook Page), draft to published.",
    )
    op.create_index(
        "ix_content_posts_due",
        "content_posts",
        ["scheduled_for"],
        schema="app",
        postgresql_where=sa.text("status = 'scheduled'"),
    )


def _alerts() -> None:
    op.create_table(
        "alerts",
        sa.Column("alert_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("metric", sa.Text, nullable=False),
        sa.Column("dimension", sa.Text, nullable=False, comment="a channel, or 'all'"),
        sa.Column("metric_day", sa.Date, nullable=False),
        sa.Column("direction", sa.Text, nullable=False, comment="high, low or silent"),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("expected_low", sa.Float, nullable=False),
        sa.Column("expected_high", sa.Float, nullable=False),
        sa.Column("robust_z", sa.Float),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("evidence", JSONB, nullable=False, comment="history used, median, MAD"),
        sa.Column("delivery_status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("delivery_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("delivery_last_error", sa.Text),
        sa.Column("delivered_at", TS),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("metric", "dimension", "metric_day", name="uq_alerts_metric_day"),
        sa.CheckConstraint(
            "delivery_status in ('pending', 'sent', 'failed', 'not_configured')",
            name="ck_alerts_delivery_status",
        ),
        schema="app",
        comment="One anomaly on a daily metric, with its evidence; raised once per day.",
    )


def upgrade() -> None:
    op.execute("create schema if not exists app")
    _content_posts()
    _alerts()


def downgrade() -> None:
    op.drop_table("alerts", schema="app")
    op.drop_table("content_posts", schema="app")
