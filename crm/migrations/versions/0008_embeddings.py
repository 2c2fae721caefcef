"""Knowledge-base embeddings (pgvector) and the end of a handoff.

`app.knowledge_embeddings` holds one vector per passage per embedding model; it is
created only where the server offers the `vector` extension (the embedded server does,
a plain PostgreSQL may not: retrieval then stays full-text only). The column has no fixed
size so models of any width fit; the HNSW cosine index covers 1536-dimension vectors
(OpenAI's text-embedding-3 default), and search falls back to an exact scan for others.

`app.handoffs` gains what an agent records when giving the conversation back to the bot.

Revision ID: 0008_embeddings
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_embeddings"
down_revision = "0002"
branch_labels = None
depends_on = "0006"  # app.handoffs and app.knowledge_passages

TS = sa.DateTime(timezone=True)
INDEXED_DIMS = 1536


class Vector(sa.types.UserDefinedType):
    """pgvector's `vector`, any number of dimensions."""

    cache_ok = True

    def get_col_spec(self, **kw) -> str:
        return "vector"


def _vector_available() -> bool:
    return bool(
        op.get_bind()
        .exec_driver_sql("select 1 from pg_available_extensions where name = 'vector'")
        .first()
    )


def _embeddings() -> None:
    op.execute("create extension if not exists vector")
    op.create_table(
        "knowledge_embeddings",
        sa.Column(
            "passage_id",
            sa.Text,
            sa.ForeignKey("app.knowledge_passages.passage_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("model", sa.Text, nullable=False, comment="provider:model, e.g. openai:..."),
        sa.Column("dims", sa.Integer, nullable=False),
        sa.Column("embedding", Vector, nullable=False),
        sa.Column("content_hash", sa.Text, nullable=False, comment="of the text embedded"),
        sa.Column("embedded_at", TS, nullable=False, server_default=sa.text("now()")),
        sa.UniqueConstraint("passage_id", "model", name="uq_knowledge_embeddings_passage_model"),
        schema="app",
        comment="One vector per knowledge passage per embedding model (semantic retrieval).",
    )
    op.create_check_constraint(
        "ck_knowledge_embeddings_dims",
        "knowledge_embeddings",
        "dims = vector_dims(embedding)",
        schema="app",
    )
    op.execute(
        f"create index ix_knowledge_embeddings_hnsw on app.knowledge_embeddings"
        f" using hnsw ((embedding::vector({INDEXED_DIMS})) vector_cosine_ops)"
        f" where dims = {INDEXED_DIMS}"
    )


def upgrade() -> None:
    op.add_column("handoffs", sa.Column("resolved_at", TS), schema="app")
    op.add_column("handoffs", sa.Column("resolution", sa.Text), schema="app")
    op.add_column("handoffs", sa.Column("resolved_by", sa.Text, comment="the agent"), schema="app")
    op.create_check_constraint(
        "ck_handoffs_status", "handoffs", "status in ('open', 'resolved')", schema="app"
    )
    if _vector_available():
        _embeddings()


def downgrade() -> None:
    op.execute("drop table if exists app.knowledge_embeddings")
    op.drop_constraint("ck_handoffs_status", "handoffs", schema="app")
    for column in ("resolved_by", "resolution", "resolved_at"):
        op.drop_column("handoffs", column, schema="app")
