"""For whom a draft is being filled: `drafts.subject_kind` and `subject_hash`, as on
`submissions` (0008), so that "my applications" lists the drafts of the party the person
now acts for and a draft started for a company or a child is never continued, nor sent,
for anyone else. NULL: for the person themselves (every draft before this revision).

Plain `add_column` (no batch on SQLite: a rebuilt `drafts` would be fine, but there is
nothing to rebuild for two nullable columns).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("subject_kind", sa.String(20), nullable=True))
    op.add_column("drafts", sa.Column("subject_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("subject_hash")
        batch.drop_column("subject_kind")
