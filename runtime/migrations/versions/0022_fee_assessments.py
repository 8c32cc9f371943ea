"""Fees assessed by staff (a service's `fees.assessed`, such as the tree felling
compensation "calculated by the municipality"): the amount a member of staff set for a
case, with the reason; one per case and fee. Only a new table.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fee_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("fee_id", sa.String(100), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name=op.f("fk_fee_assessments_submission_id_submissions")),
        sa.ForeignKeyConstraint(["assessed_by"], ["staff_users.id"],
                                name=op.f("fk_fee_assessments_assessed_by_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_assessments")),
        sa.UniqueConstraint("submission_id", "fee_id", name=op.f("uq_fee_assessments_submission_id")),
    )
    op.create_index(op.f("ix_fee_assessments_submission_id"), "fee_assessments", ["submission_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_fee_assessments_submission_id"), table_name="fee_assessments")
    op.drop_table("fee_assessments")
