"""The case keeps what was decided at submission, and its status history.

`submissions` gains the channel, the route (service role and the routing rule that
matched), the receiving institution (its id, and its name and contacts as they were),
the deadline in working days and the due date, and `facts_from`. `case_history` holds
one row per status change (from, to, when, who, note).

Existing rows are backfilled with what SQL can know: the channel is the e-service (the
only one so far), `facts_from` is "pending", and each case gets its first history
entry (from nothing to its current status, at its submission time, by "migration").
The route, institution and due date need the service definition: `runtime.cases.backfill`
fills them in at start-up from the pinned service version and the answers, evaluated on
the submission date, and marks them "reconstructed".

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
HISTORY_NOTE = "status at the time the case history began"


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("channel", sa.String(20), nullable=False, server_default="e-service"))
        batch.add_column(sa.Column("route", sa.String(100), nullable=True))
        batch.add_column(sa.Column("route_rule", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("institution_id", sa.String(100), nullable=True))
        batch.add_column(sa.Column("institution", JSON_DOCUMENT, nullable=True))
        batch.add_column(sa.Column("deadline_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("facts_from", sa.String(20), nullable=False, server_default="pending"))
        batch.create_index("ix_submissions_institution_id", ["institution_id"])
    op.create_table(
        "case_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(),
                  sa.ForeignKey("submissions.id", ondelete="CASCADE",
                                name="fk_case_history_submission_id_submissions"), nullable=False),
        sa.Column("from_status", sa.String(40), nullable=True),
        sa.Column("to_status", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_case_history"),
    )
    op.create_index("ix_case_history_submission_id", "case_history", ["submission_id"])
    op.execute(sa.text(
        "INSERT INTO case_history (submission_id, from_status, to_status, at, actor, note) "
        "SELECT id, NULL, status, submitted_at, 'migration', :note FROM submissions"
    ).bindparams(note=HISTORY_NOTE))


def downgrade() -> None:
    op.drop_index("ix_case_history_submission_id", table_name="case_history")
    op.drop_table("case_history")
    with op.batch_alter_table("submissions") as batch:
        batch.drop_index("ix_submissions_institution_id")
        for column in ("facts_from", "due_on", "deadline_days", "institution", "institution_id", "route_rule",
                       "route", "channel"):
            batch.drop_column(column)
