"""Commission sessions (issue 14 part 9): a session of a commission declared in the
municipality overlay, its agenda of cases with the motion put to the vote, and each
member's vote. Only new tables: nothing of `submissions` is altered.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "commission_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("commission_id", sa.String(100), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("closed_at", Timestamp, nullable=True),
        sa.Column("minutes_path", sa.String(300), nullable=True),
        sa.Column("minutes_sha256", sa.String(64), nullable=True),
        sa.Column("minutes_size", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["staff_users.id"],
                                name=op.f("fk_commission_sessions_created_by_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_sessions")),
    )
    op.create_index("ix_commission_sessions_place", "commission_sessions",
                    ["municipality_id", "commission_id", "held_on"])
    op.create_table(
        "commission_agenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("target", sa.String(40), nullable=False),
        sa.Column("motion", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("added_at", Timestamp, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("decided_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(["session_id"], ["commission_sessions.id"], ondelete="CASCADE",
                                name=op.f("fk_commission_agenda_session_id_commission_sessions")),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name=op.f("fk_commission_agenda_submission_id_submissions")),
        sa.ForeignKeyConstraint(["added_by"], ["staff_users.id"],
                                name=op.f("fk_commission_agenda_added_by_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_agenda")),
        sa.UniqueConstraint("session_id", "submission_id", name=op.f("uq_commission_agenda_session_id")),
    )
    op.create_index(op.f("ix_commission_agenda_session_id"), "commission_agenda", ["session_id"])
    op.create_index(op.f("ix_commission_agenda_submission_id"), "commission_agenda", ["submission_id"])
    op.create_table(
        "commission_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("vote", sa.String(10), nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["commission_agenda.id"], ondelete="CASCADE",
                                name=op.f("fk_commission_votes_item_id_commission_agenda")),
        sa.ForeignKeyConstraint(["member_id"], ["staff_users.id"],
                                name=op.f("fk_commission_votes_member_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_votes")),
        sa.UniqueConstraint("item_id", "member_id", name=op.f("uq_commission_votes_item_id")),
    )
    op.create_index(op.f("ix_commission_votes_item_id"), "commission_votes", ["item_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_commission_votes_item_id"), table_name="commission_votes")
    op.drop_table("commission_votes")
    op.drop_index(op.f("ix_commission_agenda_submission_id"), table_name="commission_agenda")
    op.drop_index(op.f("ix_commission_agenda_session_id"), table_name="commission_agenda")
    op.drop_table("commission_agenda")
    op.drop_index("ix_commission_sessions_place", table_name="commission_sessions")
    op.drop_table("commission_sessions")
