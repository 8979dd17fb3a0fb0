"""initial: documents, annotations, vectors, stories, merges, claims, contradictions, jobs

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ID = sa.String(64)
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", ID, nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("words", sa.Integer, nullable=False, server_default="0"),
        sa.Column("added_at", TS, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_table(
        "document_sources",
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("url", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("seen_at", TS, nullable=False),
    )
    op.create_table(
        "annotations",
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_table(
        "vectors",
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
        sa.Column("model", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("dim", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "doc_features",
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("assigner", sa.String(64), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_table(
        "stories",
        sa.Column("id", ID, primary_key=True),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("size", sa.Integer, nullable=False, server_default="0"),
        sa.Column("outlets", sa.Text, nullable=False, server_default="[]"),
        sa.Column("first_seen", sa.String(32)),
        sa.Column("last_seen", sa.String(32)),
        sa.Column("claims", sa.Integer, nullable=False, server_default="0"),
        sa.Column("open_contradictions", sa.Integer, nullable=False, server_default="0"),
        sa.Column("needs_link", sa.Boolean, nullable=False, server_default="1"),
        sa.Column("linked_at", TS),
    )
    op.create_index("ix_stories_last_seen", "stories", ["last_seen"])
    op.create_index("ix_stories_needs_link", "stories", ["needs_link"])
    op.create_table(
        "story_merges",
        sa.Column("old_id", ID, primary_key=True),
        sa.Column("new_id", ID, nullable=False),
        sa.Column("merged_at", TS, nullable=False),
        sa.Column("at", sa.Integer),
        sa.Column("similarity", sa.Float),
    )
    op.create_table(
        "story_members",
        sa.Column("doc_id", ID, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", ID, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
        sa.Column("added_at", TS, nullable=False),
    )
    op.create_index("ix_story_members_story", "story_members", ["story_id"])
    op.create_table(
        "story_analyses",
        sa.Column("story_id", ID, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("docs_key", sa.String(64), nullable=False),
        sa.Column("linked_at", TS, nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("story_id", ID, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_table(
        "contradictions",
        sa.Column("story_id", ID, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("id", ID, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("doc_a", ID, nullable=False),
        sa.Column("doc_b", ID, nullable=False),
        sa.Column("explanation", sa.Text, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("params", sa.Text, nullable=False, server_default="{}"),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message", sa.Text),
    )


def downgrade() -> None:
    for table in ("jobs", "contradictions", "claims", "story_analyses", "story_members", "story_merges",
                  "stories", "doc_features", "vectors", "annotations", "document_sources", "documents"):
        op.drop_table(table)
