"""Conversation engine tables in `app`: outbox, conversations, cases, handoffs, opt-outs,
the processed-message log, the knowledge base and the LLM call ledger.

Every step of the worker is keyed by a unique constraint here (the raw event row, the
outbox idempotency key, one open case / handoff per conversation), so a step replayed
after a crash writes nothing twice.

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0002"
branch_labels = None
depends_on = None

NOW = sa.text("now()")
TS = sa.DateTime(timezone=True)
OUTBOX_STATUSES = "('queued', 'sent', 'delivered', 'read', 'failed', 'dry_run')"


def _conversations() -> None:
    op.create_table(
        "conversations",
        sa.Column("conversation_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("person_id", sa.Text, nullable=False, comment="wa_id (or user id), IGSID, PSID"),
        sa.Column(
            "business_id", sa.Text, comment="phone_number_id / IG account / Page that was hit"
        ),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),
        sa.Column("bot_paused", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("route", sa.Text),
        sa.Column("priority", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("last_intent", sa.Text),
        sa.Column("low_confidence_streak", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("followups_sent", sa.Integer, nullable=False, server_default="0"),
        sa.Column("started_at", TS, nullable=False, server_default=NOW),
        sa.Column("last_inbound_at", TS),
        sa.Column("last_outbound_at", TS),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("channel", "person_id", name="uq_conversations_thread"),
        sa.CheckConstraint("status in ('open', 'closed')", name="ck_conversations_status"),
        schema="app",
        comment="One customer thread per channel: its live state as the worker keeps it.",
    )
    op.create_table(
        "cases",
        sa.Column("case_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.BigInteger,
            sa.ForeignKey("app.conversations.conversation_id"),
            nullable=False,
        ),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("topic", sa.Text, comment="intent that opened the case"),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),
        sa.Column("opened_at", TS, nullable=False, server_default=NOW),
        sa.Column("closed_at", TS),
        sa.Column("close_reason", sa.Text),
        sa.Column("reopened_count", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("status in ('open', 'closed')", name="ck_cases_status"),
        schema="app",
        comment="A customer's request from first message to resolution (closure and reopening).",
    )
    op.create_index(
        "uq_cases_open",
        "cases",
        ["conversation_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("status = 'open'"),
    )


def _log_and_people() -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_row_id", sa.BigInteger, primary_key=True, comment="raw.channel_events.id"),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("conversation_id", sa.BigInteger),
        sa.Column("lead_id", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("intent", sa.Text),
        sa.Column("intent_confidence", sa.Float),
        sa.Column("sentiment_score", sa.Float),
        sa.Column("sentiment_label", sa.Text),
        sa.Column("route", sa.Text),
        sa.Column("priority", sa.Text),
        sa.Column("reasons", JSONB),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("received_at", TS),
        sa.Column("processed_at", TS, nullable=False, server_default=NOW),
        sa.UniqueConstraint("channel", "event_type", "event_id", name="uq_processed_events_key"),
        schema="app",
        comment="Each raw event the worker handled, once, with what it understood and did.",
    )
    op.create_table(
        "handoffs",
        sa.Column("handoff_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "conversation_id",
            sa.BigInteger,
            sa.ForeignKey("app.conversations.conversation_id"),
            nullable=False,
        ),
        sa.Column("lead_id", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False, comment="auto or api"),
        sa.Column("status", sa.Text, nullable=False, server_default="open"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("notify_status", sa.Text, nullable=False, server_default="pending"),
        sa.Column("notify_attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("notify_next_at", TS, nullable=False, server_default=NOW),
        sa.Column("notify_last_error", sa.Text),
        sa.Column("notified_at", TS),
        schema="app",
        comment="Conversations handed to a human: why, a summary, the agents notification.",
    )
    op.create_index(
        "uq_handoffs_open",
        "handoffs",
        ["conversation_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "opt_outs",
        sa.Column("channel", sa.Text, primary_key=True),
        sa.Column("person_id", sa.Text, primary_key=True),
        sa.Column("lead_id", sa.Text),
        sa.Column("text", sa.Text),
        sa.Column("event_id", sa.Text),
        sa.Column("opted_out_at", TS, nullable=False, server_default=NOW),
        schema="app",
        comment="People who asked not to be written to; every outbound flow checks it.",
    )


def _outbox() -> None:
    op.create_table(
        "outbox",
        sa.Column("outbox_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("sender_id", sa.Text, comment="business phone-number-id / IG account / Page id"),
        sa.Column("recipient_id", sa.Text, nullable=False),
        sa.Column("lead_id", sa.Text),
        sa.Column("conversation_id", sa.BigInteger),
        sa.Column("kind", sa.Text, nullable=False, comment="text, template, interactive"),
        sa.Column("purpose", sa.Text, nullable=False, comment="reply, followup, handoff, opt_out"),
        sa.Column("body", JSONB, nullable=False, comment="the channel send API's payload"),
        sa.Column("citations", JSONB),
        sa.Column("status", sa.Text, nullable=False, server_default="queued"),
        sa.Column("idempotency_key", sa.Text, nullable=False),
        sa.Column("in_reply_to", sa.Text, comment="event_id of the inbound message answered"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", TS, nullable=False, server_default=NOW),
        sa.Column("send_started_at", TS),
        sa.Column("sent_at", TS),
        sa.Column("status_at", TS),
        sa.Column("last_error", sa.Text),
        sa.Column("provider_message_id", sa.Text),
        sa.UniqueConstraint("idempotency_key", name="uq_outbox_idempotency_key"),
        sa.CheckConstraint(f"status in {OUTBOX_STATUSES}", name="ck_outbox_status"),
        schema="app",
        comment="Every outbound message, the only way out; senders drain the queued rows.",
    )
    op.create_index(
        "ix_outbox_queued",
        "outbox",
        ["next_attempt_at"],
        schema="app",
        postgresql_where=sa.text("status = 'queued'"),
    )
    op.create_index(
        "uq_outbox_provider_message_id",
        "outbox",
        ["provider_message_id"],
        unique=True,
        schema="app",
        postgresql_where=sa.text("provider_message_id is not null"),
    )


def _knowledge_and_llm() -> None:
    op.create_table(
        "knowledge_passages",
        sa.Column("passage_id", sa.Text, primary_key=True, comment="file path#section"),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("search_text", sa.Text, nullable=False, comment="title + body, accents folded"),
        sa.Column(
            "search",
            sa.dialects.postgresql.TSVECTOR,
            sa.Computed(
                "case when language = 'es' then to_tsvector('spanish'::regconfig, search_text)"
                " else to_tsvector('english'::regconfig, search_text) end",
                persisted=True,
            ),
        ),
        sa.Column("imported_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint("language in ('es', 'en')", name="ck_knowledge_language"),
        schema="app",
        comment="The bot's knowledge base: passages of Markdown / CSV files, full-text indexed.",
    )
    op.create_index(
        "ix_knowledge_search",
        "knowledge_passages",
        ["search"],
        schema="app",
        postgresql_using="gin",
    )
    op.create_table(
        "llm_calls",
        sa.Column("call_id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("provider", sa.Text, nullable=False),
        sa.Column("model", sa.Text, nullable=False),
        sa.Column("prompt_version", sa.Text, nullable=False),
        sa.Column("input_tokens", sa.Integer),
        sa.Column("output_tokens", sa.Integer),
        sa.Column("cost_usd", sa.Numeric(14, 8)),
        sa.Column("latency_ms", sa.Integer),
        sa.Column("ok", sa.Boolean, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        schema="app",
        comment="One row per LLM call: tokens, cost and outcome.",
    )


def upgrade() -> None:
    op.execute("create schema if not exists app")
    _conversations()
    _log_and_people()
    _outbox()
    _knowledge_and_llm()


def downgrade() -> None:
    for table in (
        "llm_calls",
        "knowledge_passages",
        "outbox",
        "opt_outs",
        "handoffs",
        "processed_events",
        "cases",
        "conversations",
    ):
        op.drop_table(table, schema="app")
