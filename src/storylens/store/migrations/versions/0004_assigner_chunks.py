"""assigner snapshots in chunks: a save writes what changed, not the whole state

Revision ID: 0004_assigner_chunks
Revises: 0003_assigner_snapshots
Create Date: 2026-12-01

The assigner's snapshot was one blob rewritten whole on every save (263 MiB at
100,000 articles). It is now a set of named parts (index vectors, links, document
ids, spilled story summaries, counts), each kept as fixed-size chunks with a digest,
so a save writes only the chunks whose digest changed (compressed): the parts that
grow change at their end, and the rest are fixed-size tables. The old snapshot is a cache (a missing
one means a replay of the stored documents), so it is dropped, not converted.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_assigner_chunks"
down_revision: str | None = "0003_assigner_snapshots"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.drop_table("assigner_snapshots")
    op.create_table(
        "assigner_snapshots",
        sa.Column("assigner", sa.String(64), primary_key=True),
        sa.Column("docs", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_doc", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parts", sa.Text, nullable=False),
    )
    op.create_table(
        "assigner_chunks",
        sa.Column("assigner", sa.String(64), primary_key=True),
        sa.Column("part", sa.String(64), primary_key=True),
        sa.Column("chunk", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("digest", sa.String(32), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assigner_chunks")
    op.drop_table("assigner_snapshots")
    op.create_table(
        "assigner_snapshots",
        sa.Column("assigner", sa.String(64), primary_key=True),
        sa.Column("docs", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_doc", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
