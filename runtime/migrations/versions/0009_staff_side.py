"""The staff side: accounts, roles and sessions; case notes and assignment; the inbox
index; the audit log says from where, and only grows.

`staff_users` (e-mail, name, argon2id password hash, failed attempts, lock and disable
times), `staff_roles` (kind, municipality, optional institution; several per person),
`staff_sessions` (the SHA-256 of a sign-in token). `audit_log` gains `address` (the
client's IP address) and triggers that refuse UPDATE and DELETE on every database.
`submissions` gains `assigned_to_id` and the inbox index (municipality, institution,
status, due date); `case_notes` holds notes, internal or visible to the applicant.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", TIMESTAMP, nullable=True),
        sa.Column("disabled_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_users"),
        sa.UniqueConstraint("email", name="uq_staff_users_email"),
    )
    op.create_table(
        "staff_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=True),
        sa.Column("institution_id", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_users.id"], ondelete="CASCADE",
                                name="fk_staff_roles_user_id_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_staff_roles"),
        sa.UniqueConstraint("user_id", "role", "municipality_id", "institution_id", name="uq_staff_roles_user_id"),
    )
    op.create_index("ix_staff_roles_user_id", "staff_roles", ["user_id"])
    op.create_index("ix_staff_roles_municipality_id", "staff_roles", ["municipality_id"])
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["staff_users.id"], ondelete="CASCADE",
                                name="fk_staff_sessions_user_id_staff_users"),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_sessions"),
    )
    op.create_index("ix_staff_sessions_user_id", "staff_sessions", ["user_id"])
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("address", sa.String(64), nullable=True))
    _forbid_changing_the_audit_log()
    _case_work()


def _case_work() -> None:
    # Added in place, without a foreign key: a new foreign key would make SQLite recreate
    # `submissions` (batch mode), and dropping the old table deletes its rows, which ON
    # DELETE CASCADE would carry to the case history and the queue entries. Staff users
    # are disabled, never deleted, so the id stays meaningful.
    op.add_column("submissions", sa.Column("assigned_to_id", sa.Integer(), nullable=True))
    op.create_index("ix_submissions_assigned_to_id", "submissions", ["assigned_to_id"])
    op.create_index("ix_submissions_inbox", "submissions", ["municipality_id", "institution_id", "status", "due_on"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("visible_to_applicant", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"], ondelete="CASCADE",
                                name="fk_case_notes_submission_id_submissions"),
        sa.ForeignKeyConstraint(["author_id"], ["staff_users.id"], name="fk_case_notes_author_id_staff_users"),
        sa.PrimaryKeyConstraint("id", name="pk_case_notes"),
    )
    op.create_index("ix_case_notes_submission_id", "case_notes", ["submission_id"])


def _forbid_changing_the_audit_log() -> None:
    """What was recorded stays: the database itself refuses UPDATE and DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$"
                   " BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$")
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
                   " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()")
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{action.lower()} BEFORE {action} ON audit_log"
                   " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def downgrade() -> None:
    op.drop_table("case_notes")
    op.drop_index("ix_submissions_inbox", table_name="submissions")
    op.drop_index("ix_submissions_assigned_to_id", table_name="submissions")
    op.drop_column("submissions", "assigned_to_id")     # SQLite >= 3.35 drops it in place
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_log_no_{action}")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("address")
    for table in ("staff_sessions", "staff_roles", "staff_users"):
        op.drop_table(table)
