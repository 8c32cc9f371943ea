"""Payments of case fees: recorded by hand or imported from camt.053 bank statements.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("entry_key", sa.String(200), nullable=True),
        sa.Column("remittance", sa.Text(), nullable=False),
        sa.Column("debtor", sa.String(200), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_payments_submission_id_submissions"),
        sa.ForeignKeyConstraint(["recorded_by"], ["staff_users.id"], name="fk_payments_recorded_by_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_payments"),
        sa.UniqueConstraint("entry_key", name="uq_payments_entry_key"),
    )
    op.create_index("ix_payments_municipality_id", "payments", ["municipality_id"])
    op.create_index("ix_payments_submission_id", "payments", ["submission_id"])


def downgrade() -> None:
    op.drop_table("payments")
