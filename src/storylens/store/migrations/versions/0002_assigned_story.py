"""assigned story: the story each document was first assigned to, kept when merges move it

Revision ID: 0002_assigned_story
Revises: 0001_initial
Create Date: 2026-11-30

The assigner is rebuilt by replaying documents in arrival order with the story it
gave each, then the recorded merges; ``story_members.story_id`` follows merges, so
the original assignment needs a column of its own. Existing rows get their current
story (the best that is known).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_assigned_story"
down_revision: str | None = "0001_initial"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.add_column("story_members", sa.Column("assigned_story", sa.String(64)))
    op.execute("UPDATE story_members SET assigned_story = story_id")


def downgrade() -> None:
    with op.batch_alter_table("story_members") as batch:
        batch.drop_column("assigned_story")
