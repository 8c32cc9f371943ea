"""Sign-in generations: `person_sessions` holds, per person (by `person_code_hash`), the
generation that their session cookies must carry; sign-out raises it (issue 16 finding 5:
a cookie saved before sign-out must not open "my applications" again).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_sessions",
        sa.Column("person_code_hash", sa.String(64), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("person_code_hash", name=op.f("pk_person_sessions")),
    )


def downgrade() -> None:
    op.drop_table("person_sessions")
