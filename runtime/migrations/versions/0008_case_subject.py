"""For whom a case was filed: `submissions.subject_kind` (company, institution, person;
NULL when the applicant applied for themselves) and `subject_hash` (the party's keyed
hash, `identity.party_hash`), beside `person_code_hash`, who applied.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("subject_kind", sa.String(20), nullable=True))
        batch.add_column(sa.Column("subject_hash", sa.String(64), nullable=True))
        batch.create_index("ix_submissions_subject_hash", ["subject_hash"])


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_index("ix_submissions_subject_hash")
        batch.drop_column("subject_hash")
        batch.drop_column("subject_kind")
