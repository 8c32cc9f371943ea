"""Rendered documents, and leases on outbox jobs.

`documents` holds one rendered file per submission and kind (the application PDF; later
result documents), unique so that a job run twice leaves one document. `outbox` gets
`locked_by` / `locked_until`: a worker claims a job for a limited time, so a job whose
worker died is picked up again when the lease runs out.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("locked_by", sa.String(100), nullable=True))
        batch.add_column(sa.Column("locked_until", TIMESTAMP, nullable=True))
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_path", sa.String(500), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name="fk_documents_submission_id_submissions"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("submission_id", "kind", name="uq_documents_submission_id"),
    )


def downgrade() -> None:
    op.drop_table("documents")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("locked_by")
