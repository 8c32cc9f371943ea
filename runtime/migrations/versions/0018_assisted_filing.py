"""The assisted channel (issue 14 part 8): `submissions.filed_by_id`, the member of staff
(a client-service-centre clerk) who filed the case in person for the applicant; NULL for
a case the applicant filed themselves. No foreign key, as for `assigned_to_id` (0009):
SQLite would recreate the table, and a batch copy of `submissions` cascades to its children.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("filed_by_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("submissions", "filed_by_id")     # SQLite >= 3.35 drops it in place
