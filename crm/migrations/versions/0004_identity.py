"""Identity resolution: the matcher's output in `ml`, a person's decisions in `app`.

`ml.identity_links` (one row per source identity: its lead and why), `ml.identity_pairs`
(scored candidate pairs from the review threshold up, with their status) and
`ml.lead_id_history` (retired lead id -> surviving one) are replaced together by the
identity asset on every run; dbt reads them as sources. `app.identity_decisions` is
written by `POST /api/v1/data/deduplicate` and read by every later run.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
EMPTY_LIST = sa.text("'[]'::jsonb")


def _record(prefix: str = "") -> list[sa.Column]:
    """A source identity's id and its parts (source, source_id)."""
    return [
        sa.Column(f"record{prefix}", sa.Text, nullable=False, comment="source:source_id"),
        sa.Column(f"source{prefix}", sa.Text, nullable=False),
        sa.Column(f"source_id{prefix}", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "identity_links",
        sa.Column("record_id", sa.Text, primary_key=True, comment="source:source_id"),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_id", sa.Text, nullable=False),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("match_confidence", sa.Float, nullable=False),
        sa.Column("match_rule", sa.Text, nullable=False, comment="same_source_id, same_phone, ..."),
        sa.Column("reasons", JSONB, nullable=False, server_default=EMPTY_LIST),
        sa.Column("name_key", sa.Text, comment="matching form of the name"),
        sa.Column("phone_key", sa.Text, comment="valid phones only"),
        sa.Column("phone_e164", sa.Text, comment="valid phones only"),
        sa.Column("email_key", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("channel_key", sa.Text, comment="a channel's second id (WhatsApp user id)"),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.UniqueConstraint("source", "source_id", name="uq_identity_links_source"),
        schema="ml",
        comment="One source identity and its lead; replaced by the identity asset each run.",
    )
    for column in ("lead_id", "phone_key", "email_key", "channel_key"):
        op.create_index(f"ix_identity_links_{column}", "identity_links", [column], schema="ml")
    op.create_table(
        "identity_pairs",
        *_record("_a"),
        *_record("_b"),
        sa.Column("lead_a", sa.Text, nullable=False),
        sa.Column("lead_b", sa.Text, nullable=False),
        sa.Column("match_probability", sa.Float, nullable=False),
        sa.Column("match_weight", sa.Float, nullable=False, comment="log2 odds"),
        sa.Column(
            "status",
            sa.Text,
            nullable=False,
            comment="linked, same_lead, held_apart, review, accepted, rejected",
        ),
        sa.Column("reasons", JSONB, nullable=False, server_default=EMPTY_LIST),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.PrimaryKeyConstraint("record_a", "record_b"),
        schema="ml",
        comment="Scored candidate pairs from the review threshold up; replaced each run.",
    )
    op.create_index("ix_identity_pairs_status", "identity_pairs", ["status"], schema="ml")
    op.create_table(
        "lead_id_history",
        sa.Column("retired_lead_id", sa.Text, primary_key=True),
        sa.Column("surviving_lead_id", sa.Text, nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        schema="ml",
        comment="Lead ids retired by a merge, each pointing at a live lead id.",
    )
    op.create_table(
        "identity_decisions",
        sa.Column("decision_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("record_a", sa.Text, nullable=False, comment="source:source_id"),
        sa.Column("record_b", sa.Text, nullable=False, comment="source:source_id"),
        sa.Column("decision", sa.Text, nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False, server_default=NOW),
        sa.CheckConstraint("decision in ('accept', 'reject')", name="ck_identity_decision"),
        sa.CheckConstraint("record_a < record_b", name="ck_identity_decision_order"),
        schema="app",
        comment="A person's decision on a pair of identities; the latest per pair wins.",
    )
    op.create_index(
        "ix_identity_decisions_pair", "identity_decisions", ["record_a", "record_b"], schema="app"
    )


def downgrade() -> None:
    op.drop_table("identity_decisions", schema="app")
    op.drop_table("lead_id_history", schema="ml")
    op.drop_table("identity_pairs", schema="ml")
    op.drop_table("identity_links", schema="ml")
