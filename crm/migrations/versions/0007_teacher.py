"""Teacher labels: real inbound messages labelled by the LLM classifier (`crm ml teach`).

One row per distinct (PII-masked) message text, keyed by its hash so labelling again adds
nothing. Training of `crm-intent` and `crm-sentiment` adds these rows to the training
data when there are any; the held-out set stays the hand-written corpus files.

Revision ID: 0007_teacher
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_teacher"
down_revision = "0002"
branch_labels = None
depends_on = None

INTENTS = (
    "greeting, product_inquiry, price_inquiry, purchase_intent, order_status, payment, "
    "support_request, complaint, cancellation_refund, human_agent, other"
)


def upgrade() -> None:
    op.execute("create schema if not exists ml")
    intents = ", ".join(f"'{name.strip()}'" for name in INTENTS.split(","))
    op.create_table(
        "teacher_labels",
        sa.Column("text_hash", sa.Text, primary_key=True, comment="sha256 of the masked text"),
        sa.Column("text", sa.Text, nullable=False, comment="the message, personal data masked"),
        sa.Column("language", sa.Text, nullable=False, comment="es or en"),
        sa.Column("intent", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False, comment="the LLM's, 0..1"),
        sa.Column("sentiment", sa.Float, nullable=False, comment="score -1..1"),
        sa.Column("sentiment_label", sa.Text, nullable=False),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("prompt_version", sa.Text, nullable=False, comment="e.g. classify.v1"),
        sa.Column(
            "labelled_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
        sa.CheckConstraint(f"intent in ({intents})", name="ck_teacher_labels_intent"),
        sa.CheckConstraint("sentiment between -1 and 1", name="ck_teacher_labels_sentiment"),
        sa.CheckConstraint(
            "sentiment_label in ('negative', 'neutral', 'positive')",
            name="ck_teacher_labels_sentiment_label",
        ),
        schema="ml",
        comment="LLM labels of real inbound messages: extra training data for the text models.",
    )


def downgrade() -> None:
    op.drop_table("teacher_labels", schema="ml")
