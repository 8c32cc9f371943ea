"""Information requests to the applicant (`cases.requests`) and fee waivers (`cases.waivers`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "information_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("asked_by", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("wants_files", sa.Boolean(), nullable=False),
        sa.Column("answer_by", sa.Date(), nullable=True),
        sa.Column("returns_to", sa.String(40), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_information_requests_submission_id_submissions"),
        sa.ForeignKeyConstraint(["asked_by"], ["staff_users.id"], name="fk_information_requests_asked_by_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_information_requests"),
    )
    op.create_index("ix_information_requests_submission_id", "information_requests", ["submission_id"])
    op.create_table(
        "fee_waivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("waived_by", sa.Integer(), nullable=True),
        sa.Column("waived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_fee_waivers_submission_id_submissions"),
        sa.ForeignKeyConstraint(["waived_by"], ["staff_users.id"], name="fk_fee_waivers_waived_by_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_fee_waivers"),
        sa.UniqueConstraint("submission_id", name="uq_fee_waivers_submission_id"),
    )


def downgrade() -> None:
    op.drop_table("fee_waivers")
    op.drop_table("information_requests")
