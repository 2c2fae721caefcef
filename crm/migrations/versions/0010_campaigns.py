"""Campaign state in `app`: who is enrolled in which sequence, and each step taken.

One enrolment per (sequence, lead, subject): the subject is what the sequence is about
(the lead itself for nurturing, a checkout token for cart recovery), so a replayed
enrolment adds nothing. One log row per (enrolment, step) with the outbox row it queued,
or why nothing went (hold-out, opt-out, window closed, no contact).

Revision ID: 0010_campaigns
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0010_campaigns"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.execute("create schema if not exists app")
    op.create_table(
        "campaign_enrollments",
        sa.Column("enrollment_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("sequence", sa.Text, nullable=False, comment="sequence name (its YAML)"),
        sa.Column("flow", sa.Text, nullable=False, comment="nurturing or cart_recovery"),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False, comment="lead id, or the cart's token"),
        sa.Column("test_group", sa.Text, nullable=False, comment="treatment or holdout"),
        sa.Column("enrolled_at", TS, nullable=False, server_default=NOW),
        sa.Column("anchor_at", TS, nullable=False, comment="step delays count from here"),
        sa.Column("step", sa.Integer, nullable=False, server_default="0", comment="steps done"),
        sa.Column("status", sa.Text, nullable=False, server_default="active"),
        sa.Column("exit_reason", sa.Text, comment="replied, purchased, opted_out"),
        sa.Column("next_due_at", TS, comment="when the next step is due; null once finished"),
        sa.Column("context", JSONB, nullable=False, comment="what messages and exits need"),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("sequence", "lead_id", "subject", name="uq_campaign_enrollments"),
        sa.CheckConstraint(
            "test_group in ('treatment', 'holdout')", name="ck_campaign_enrollments_group"
        ),
        sa.CheckConstraint(
            "status in ('active', 'exited', 'completed')", name="ck_campaign_enrollments_status"
        ),
        schema="app",
        comment="One lead (or cart) in one campaign sequence, and where it stands.",
    )
    op.create_index(
        "ix_campaign_enrollments_due",
        "campaign_enrollments",
        ["sequence", "next_due_at"],
        schema="app",
        postgresql_where=sa.text("status = 'active'"),
    )
    op.create_table(
        "campaign_steps",
        sa.Column(
            "enrollment_id",
            sa.BigInteger,
            sa.ForeignKey("app.campaign_enrollments.enrollment_id"),
            primary_key=True,
        ),
        sa.Column("step", sa.Integer, primary_key=True, comment="1-based"),
        sa.Column("outbox_id", sa.BigInteger, comment="app.outbox row queued, if any"),
        sa.Column("kind", sa.Text, comment="text or template; null when nothing went"),
        sa.Column("channel", sa.Text),
        sa.Column("outcome", sa.Text, nullable=False, comment="queued, held_out, skipped"),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("acted_at", TS, nullable=False),
        sa.CheckConstraint(
            "outcome in ('queued', 'held_out', 'skipped')", name="ck_campaign_steps_outcome"
        ),
        schema="app",
        comment="Each step of each enrolment, once: the message queued or why none was.",
    )


def downgrade() -> None:
    op.drop_table("campaign_steps", schema="app")
    op.drop_table("campaign_enrollments", schema="app")
