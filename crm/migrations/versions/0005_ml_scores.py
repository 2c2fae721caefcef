"""Lead scores and close probabilities written by the scoring asset into `ml.lead_scores`.

History, not just the latest: one row per lead per kept scoring run (the day's last run,
for `ML_SCORE_HISTORY_DAYS`), so the drift check can compare a run with the one before
and an analyst can see how a lead's score moved; `marts.dim_leads` reads the newest row
per lead (via `int_lead_scores_latest`).

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("create schema if not exists ml")
    op.create_table(
        "lead_scores",
        sa.Column("score_run_id", sa.Text, nullable=False, comment="one scoring run"),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("score", sa.SmallInteger, nullable=False, comment="0-100: probability x 100"),
        sa.Column("tier", sa.Text, nullable=False, comment="hot, warm or cold"),
        sa.Column("probability", sa.Float, nullable=False, comment="P(order within horizon)"),
        sa.Column("close_probability", sa.Float, comment="P(open conversation closes)"),
        sa.Column("score_source", sa.Text, nullable=False, comment="model or prior"),
        sa.Column("reasons", JSONB, nullable=False, comment="top contributing features"),
        sa.Column("model_name", sa.Text, nullable=False),
        sa.Column("model_version", sa.Text, comment="registry version; null for the prior"),
        sa.Column("close_model_version", sa.Text, comment="crm-close-probability version"),
        sa.Column("features_as_of", sa.DateTime(timezone=True), comment="the data's cut-off"),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("score_run_id", "lead_id", name="pk_lead_scores"),
        sa.CheckConstraint("score between 0 and 100", name="ck_lead_scores_score"),
        sa.CheckConstraint("tier in ('hot', 'warm', 'cold')", name="ck_lead_scores_tier"),
        sa.CheckConstraint("score_source in ('model', 'prior')", name="ck_lead_scores_source"),
        schema="ml",
        comment="Lead score history: one row per lead per scoring run.",
    )
    op.create_index(
        "ix_lead_scores_lead_scored", "lead_scores", ["lead_id", "scored_at"], schema="ml"
    )
    op.create_index("ix_lead_scores_scored_at", "lead_scores", ["scored_at"], schema="ml")


def downgrade() -> None:
    op.drop_table("lead_scores", schema="ml")
