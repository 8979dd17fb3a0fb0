"""assigner snapshots: the story assigner's state kept between runs

Revision ID: 0003_assigner_snapshots
Revises: 0002_assigned_story
Create Date: 2026-11-30

Rebuilding the assigner by replaying every stored document made the cost of one
``add`` grow with the corpus; a snapshot of its state (index, story summaries,
counts) as of one document lets the next run replay only the documents after it.
A database without a snapshot replays everything, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_assigner_snapshots"
down_revision: str | None = "0002_assigned_story"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "assigner_snapshots",
        sa.Column("assigner", sa.String(64), primary_key=True),
        sa.Column("docs", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.Integer, nullable=False),
        sa.Column("last_doc", sa.String(64), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("assigner_snapshots")
