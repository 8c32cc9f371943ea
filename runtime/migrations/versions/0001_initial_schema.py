"""Initial schema: service versions, drafts, submissions, case sequences, uploads, the
outbox and the audit log; service versions are made immutable by a trigger.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    _create_service_versions()
    _create_drafts_and_submissions()
    _create_case_sequences_and_uploads()
    _create_outbox_and_audit_log()
    _forbid_changing_service_versions()


def _create_service_versions() -> None:
    op.create_table(
        "service_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("source_hash", sa.String(64), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("published_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_service_versions"),
        sa.UniqueConstraint("service_id", "source_hash", name="uq_service_versions_service_id"),
    )
    op.create_index("ix_service_versions_service_id", "service_versions", ["service_id"])


def _create_drafts_and_submissions() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("service_version_id", sa.Integer(), nullable=False),
        sa.Column("answers", JSON_DOCUMENT, nullable=False),
        sa.Column("current_page", sa.String(100), nullable=True),
        sa.Column("person_code_hash", sa.String(64), nullable=True),
        sa.Column("resume_token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["service_version_id"], ["service_versions.id"],
                                name="fk_drafts_service_version_id_service_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.UniqueConstraint("resume_token_hash", name="uq_drafts_resume_token_hash"),
    )
    op.create_index("ix_drafts_person_code_hash", "drafts", ["person_code_hash"])
    op.create_index("ix_drafts_service_version_id", "drafts", ["service_version_id"])
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("service_version_id", sa.Integer(), nullable=False),
        sa.Column("answers", JSON_DOCUMENT, nullable=False),
        sa.Column("fee_total", sa.Numeric(12, 2), nullable=False),
        sa.Column("status", sa.String(40), nullable=False),
        sa.Column("submitted_at", TIMESTAMP, nullable=False),
        sa.Column("person_code_hash", sa.String(64), nullable=True),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(["service_version_id"], ["service_versions.id"],
                                name="fk_submissions_service_version_id_service_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.UniqueConstraint("reference", name="uq_submissions_reference"),
    )
    op.create_index("ix_submissions_municipality_id", "submissions", ["municipality_id"])
    op.create_index("ix_submissions_person_code_hash", "submissions", ["person_code_hash"])
    op.create_index("ix_submissions_service_version_id", "submissions", ["service_version_id"])


def _create_case_sequences_and_uploads() -> None:
    op.create_table(
        "case_sequences",
        sa.Column("municipality_id", sa.String(64), nullable=False),
        sa.Column("service_code", sa.String(6), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("municipality_id", "service_code", "year", name="pk_case_sequences"),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("draft_id", sa.Uuid(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("field_path", sa.String(200), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_path", sa.String(500), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_uploads_draft_id_drafts",
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name="fk_uploads_submission_id_submissions"),
        sa.PrimaryKeyConstraint("id", name="pk_uploads"),
    )
    op.create_index("ix_uploads_draft_id", "uploads", ["draft_id"])
    op.create_index("ix_uploads_submission_id", "uploads", ["submission_id"])


def _create_outbox_and_audit_log() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("payload", JSON_DOCUMENT, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("run_after", TIMESTAMP, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("done_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["done_at", "run_after"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("municipality_id", sa.String(64), nullable=True),
        sa.Column("object_type", sa.String(50), nullable=True),
        sa.Column("object_id", sa.String(100), nullable=True),
        sa.Column("details", JSON_DOCUMENT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_municipality_id", "audit_log", ["municipality_id"])


def _forbid_changing_service_versions() -> None:
    """A published version is immutable: the database itself rejects UPDATE and DELETE,
    whatever code or console session tries."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION service_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN RAISE EXCEPTION 'service versions are immutable'; END $$"
        )
        op.execute(
            "CREATE TRIGGER service_versions_immutable BEFORE UPDATE OR DELETE ON service_versions"
            " FOR EACH ROW EXECUTE FUNCTION service_versions_immutable()"
        )
        return
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER service_versions_no_{action.lower()} BEFORE {action} ON service_versions"
            " BEGIN SELECT RAISE(ABORT, 'service versions are immutable'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER service_versions_immutable ON service_versions")
        op.execute("DROP FUNCTION service_versions_immutable()")
    for table in ("uploads", "submissions", "drafts", "service_versions", "case_sequences",
                  "outbox", "audit_log"):
        op.drop_table(table)
