"""Fees as charged, stored with each submission.

`submissions.fees` keeps the fee lines, the total and the payment reference of the
evaluation that accepted the submission (`runtime/fees.py`), so that the confirmation,
the payment details and the application PDF show what was charged even after the
municipality changes its fee parameters. Older rows keep NULL: they are shown from a
fresh evaluation, as before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("fees", JSON_DOCUMENT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("fees")
