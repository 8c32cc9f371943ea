"""Queue entries: one row per case and queue partition (e.g. per chosen preschool), with
the order keys frozen at registration and the applicant's rank of that partition; see
`runtime/queue.py`.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "queue_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("service_id", sa.String(100), nullable=False),
        sa.Column("partition", sa.String(200), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("order_keys", JSON_DOCUMENT, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_queue_entries_submission_id_submissions"),
        sa.PrimaryKeyConstraint("id", name="pk_queue_entries"),
        sa.UniqueConstraint("submission_id", "partition", name="uq_queue_entries_submission_id"),
    )
    op.create_index("ix_queue_entries_partition", "queue_entries",
                    ["municipality_id", "service_id", "partition"])


def downgrade() -> None:
    op.drop_index("ix_queue_entries_partition", table_name="queue_entries")
    op.drop_table("queue_entries")
