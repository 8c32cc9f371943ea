"""Outbox jobs that go to the outside world: idempotency key, order per case, tenant,
dead letters and discards.

`idempotency_key` is unique: a message is written once however often its cause is
retried, and the receiver applies it once. `ordering_key` (a case) makes jobs of one case
run in the order they were written. `municipality_id` lets a municipality's admins see
their own jobs only. After its last attempt, or when the receiver refused it for good, a
job is a dead letter (`dead_at`); an admin retries it or discards it (`discarded_by`).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("idempotency_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("ordering_key", sa.String(200), nullable=True))
        batch.add_column(sa.Column("municipality_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("max_attempts", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dead_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("discarded_by", sa.String(100), nullable=True))
        batch.create_unique_constraint("uq_outbox_idempotency_key", ["idempotency_key"])
    op.create_index("ix_outbox_ordering", "outbox", ["ordering_key", "id"])
    op.create_index("ix_outbox_municipality_id", "outbox", ["municipality_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_municipality_id", "outbox")
    op.drop_index("ix_outbox_ordering", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint("uq_outbox_idempotency_key", type_="unique")
        for column in ("discarded_by", "dead_at", "max_attempts", "municipality_id", "ordering_key",
                       "idempotency_key"):
            batch.drop_column(column)
