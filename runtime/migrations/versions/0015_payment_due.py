"""The payment due date (issue 13): `submissions.payment_due_on`, the date by which the fee
is to be paid, worked out at submission from the service's `fees.due` and kept with the
case's other facts; NULL when nothing is due or the service declares no due date.

A plain `add_column`: SQLite's `batch_alter_table` on `submissions` would copy the table,
and its child rows would go with it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("submissions", sa.Column("payment_due_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("submissions", "payment_due_on")
