"""The staff member's language (issue 14): `staff_users.language`, lv or en, for the staff
pages, the case file's answer labels and the daily digest; Latvian for every existing
account. A plain ADD COLUMN: a batch copy of `staff_users` on SQLite would cascade to
its roles and sessions.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("staff_users", sa.Column("language", sa.String(8), nullable=False, server_default="lv"))


def downgrade() -> None:
    op.drop_column("staff_users", "language")
