"""The staff inbox at a year's volume (issue 14: 252,148 cases; `python -m bench --only
inbox`, its plans in bench/README.md):

- `ix_submissions_inbox` gains `service_version_id`: the counts per status and the total
  of open cases (the open test reads the service through the version) are then answered
  from the index alone (an index-only scan), not from the wide rows with their answers;
- `ix_submissions_inbox_order` (municipality, institution, due_on IS NULL, due_on,
  submitted_at): the inbox's sort, so that a page of 50 is read in order and stops,
  instead of sorting every open case of the institution;
- on PostgreSQL `ix_submissions_reference_prefix`, lower(reference) with
  varchar_pattern_ops: a search by case reference (or its start) is an index range scan.

Indexes only: nothing is copied, SQLite's `submissions` is not rebuilt.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

ORDER = ["municipality_id", "institution_id", sa.text("(due_on IS NULL)"), "due_on", "submitted_at"]


def upgrade() -> None:
    op.drop_index("ix_submissions_inbox", table_name="submissions")
    op.create_index("ix_submissions_inbox", "submissions",
                    ["municipality_id", "institution_id", "status", "service_version_id", "due_on"])
    op.create_index("ix_submissions_inbox_order", "submissions", ORDER)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_submissions_reference_prefix ON submissions "
                   "(lower(reference) varchar_pattern_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_submissions_reference_prefix")
    op.drop_index("ix_submissions_inbox_order", table_name="submissions")
    op.drop_index("ix_submissions_inbox", table_name="submissions")
    op.create_index("ix_submissions_inbox", "submissions", ["municipality_id", "institution_id", "status", "due_on"])
