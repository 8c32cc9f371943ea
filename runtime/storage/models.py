"""The runtime's tables, as typed SQLAlchemy 2 models.

Rules the schema keeps: money is `Numeric(12, 2)`, never float; every draft and
submission points at the exact `service_versions` row it was filled against; a service
version row is immutable (the migration adds a trigger, `guard_immutable` below stops the
ORM earlier with a clearer error); personal codes are stored only as keyed hashes.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String, Text,
    UniqueConstraint, Uuid, event,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so that migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
JSONDocument = JSON().with_variant(JSONB(), "postgresql")
Money = Numeric(12, 2, asdecimal=True)
Timestamp = DateTime(timezone=True)
CHANNEL_E_SERVICE = "e-service"     # later: "api", "e-address"
CHANNEL_IN_PERSON = "in-person"     # filed by a client-service-centre clerk (`cases.assisted`)
FACTS_AT_SUBMISSION, FACTS_PENDING, FACTS_RECONSTRUCTED = "submission", "pending", "reconstructed"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ImmutableRowError(Exception):
    """Someone tried to change a row that is never changed once written."""


class ServiceVersion(Base):
    __tablename__ = "service_versions"
    __table_args__ = (UniqueConstraint("service_id", "source_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(50))
    source_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)


@event.listens_for(ServiceVersion, "before_update")
def guard_immutable(mapper, connection, target: ServiceVersion) -> None:
    raise ImmutableRowError(
        f"service version {target.service_id} {target.version} is published and immutable"
    )


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    municipality_id: Mapped[str] = mapped_column(String(64))
    service_version_id: Mapped[int] = mapped_column(ForeignKey("service_versions.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    current_page: Mapped[str | None] = mapped_column(String(100))
    person_code_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # for whom, when not for themselves (as on `submissions`; migration 0017)
    subject_kind: Mapped[str | None] = mapped_column(String(20))
    subject_hash: Mapped[str | None] = mapped_column(String(64))
    resume_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # when the resume link was made (it expires); None on drafts older than that rule
    resume_token_issued_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now, onupdate=utc_now)


class PersonSession(Base):
    """A person's sign-in generation (`runtime.cases.sessions`): a session cookie counts
    only while it carries the person's current generation, and signing out raises it, so
    every earlier cookie of that person, on any device, stops counting at once."""

    __tablename__ = "person_sessions"

    person_code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    ended_at: Mapped[datetime | None] = mapped_column(Timestamp)


class RateCounter(Base):
    """How many requests (or bytes) of one kind one client sent in one time window
    (`runtime.cases.ratelimit`). The key is a keyed hash of kind, client and window, so the
    table names no address and no person; a row is dropped once its window has passed."""

    __tablename__ = "rate_counters"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


class BrowserSession(Base):
    """A browser's session on the server (`runtime.cases.browser_sessions`): the cookie
    holds only a signed random token, this row its SHA-256 and the session's data."""

    __tablename__ = "browser_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


class Submission(Base):
    __tablename__ = "submissions"
    # the staff inbox: an institution's cases by status (with the version, for the open test)
    # and due date (migrations 0009, 0020). 0020 also adds two expression indexes that
    # autogenerate does not compare: the inbox's sort (`ix_submissions_inbox_order`) and,
    # on PostgreSQL, the reference prefix search (`ix_submissions_reference_prefix`).
    __table_args__ = (Index("ix_submissions_inbox", "municipality_id", "institution_id", "status",
                            "service_version_id", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    municipality_id: Mapped[str] = mapped_column(String(64), index=True)
    service_version_id: Mapped[int] = mapped_column(ForeignKey("service_versions.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    fee_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    # the fee lines as charged (`runtime.fees`); NULL for submissions stored before 0004
    fees: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    status: Mapped[str] = mapped_column(String(40))
    submitted_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    person_code_hash: Mapped[str | None] = mapped_column(String(64), index=True)   # who applied
    # for whom, when not for themselves: company, institution or person, and its keyed hash
    subject_kind: Mapped[str | None] = mapped_column(String(20))
    subject_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="lv")
    # What was decided at submission (`runtime.cases.submitting`), kept so that a later
    # change of the municipality's parameters or institutions never changes a case.
    channel: Mapped[str] = mapped_column(String(20), default=CHANNEL_E_SERVICE)
    route: Mapped[str | None] = mapped_column(String(100))          # the service role
    route_rule: Mapped[int | None] = mapped_column(Integer)         # which routing rule matched; None: `to`
    institution_id: Mapped[str | None] = mapped_column(String(100), index=True)
    institution: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)   # name and contacts then
    deadline_days: Mapped[int | None] = mapped_column(Integer)      # working days
    due_on: Mapped[date | None] = mapped_column(Date)
    payment_due_on: Mapped[date | None] = mapped_column(Date)     # `fees.due`: the fee is paid by then
    # "submission": recorded when submitted. A case stored before these columns existed is
    # "pending" after migration 0006, then "reconstructed" by `cases.backfill`.
    facts_from: Mapped[str] = mapped_column(String(20), default=FACTS_AT_SUBMISSION)
    # the member of staff working the case (`cases.caseflow.assign_case`); a staff_users id,
    # without a foreign key (see migration 0009: SQLite would recreate the table)
    assigned_to_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # the client-service-centre clerk who filed it in person (channel "in-person"), a
    # staff_users id without a foreign key (migration 0018); None: the applicant did
    filed_by_id: Mapped[int | None] = mapped_column(Integer)


class CaseHistoryEntry(Base):
    """One change of a case's status: from, to, when, who (an actor's kind, never a
    personal code) and an optional note. The first entry (from NULL) is the submission."""

    __tablename__ = "case_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class CaseSequence(Base):
    """The last case number given per municipality, service code and year; see
    `runtime.storage.references` for the atomic increment."""

    __tablename__ = "case_sequences"

    municipality_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class Upload(Base):
    __tablename__ = "uploads"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    draft_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("drafts.id", ondelete="SET NULL"), index=True
    )
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    field_path: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)


class OutboxJob(Base):
    """A long or remote task, written in the same transaction as the change that caused
    it and run later by a worker (claimed with SKIP LOCKED on PostgreSQL)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "done_at", "run_after"),
                      Index("ix_outbox_ordering", "ordering_key", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    run_after: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(Timestamp)
    # A claim is a lease: a worker that dies mid-job loses it when `locked_until` passes.
    locked_by: Mapped[str | None] = mapped_column(String(100))
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp)
    # Messages to the outside world (migration 0011): applied once by the receiver per key,
    # run in order per `ordering_key` (a case), shown to their municipality's admins only.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    ordering_key: Mapped[str | None] = mapped_column(String(200))
    municipality_id: Mapped[str | None] = mapped_column(String(64), index=True)
    max_attempts: Mapped[int | None] = mapped_column(Integer)     # None: retried for ever
    dead_at: Mapped[datetime | None] = mapped_column(Timestamp)   # a dead letter since
    discarded_by: Mapped[str | None] = mapped_column(String(100))  # done by an admin's discard


class StoredDocument(Base):
    """A rendered document of a submission (the application PDF, later result documents):
    one per submission and kind, so rendering twice leaves one document."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("submission_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"))
    kind: Mapped[str] = mapped_column(String(50))
    locale: Mapped[str] = mapped_column(String(8))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)


class AuditEntry(Base):
    """Who did what to which case or setting, when, from where (`runtime.cases.audit`).
    Append-only: migration 0009 adds triggers that refuse UPDATE and DELETE."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    municipality_id: Mapped[str | None] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JSONDocument, default=dict)
    address: Mapped[str | None] = mapped_column(String(64))     # the client's IP address


class QueueEntry(Base):
    """A case's entry in one partition of its service's queue (`runtime.queue`): the order
    keys as they were when the case was registered, and the rank of the partition value in
    the applicant's own list (1 = first choice). Whether an entry counts is decided by the
    case's current status, so a status change can never leave a stale queue behind."""

    __tablename__ = "queue_entries"
    __table_args__ = (
        UniqueConstraint("submission_id", "partition"),
        Index("ix_queue_entries_partition", "municipality_id", "service_id", "partition"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    municipality_id: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(100))
    partition: Mapped[str] = mapped_column(String(200))
    rank: Mapped[int] = mapped_column(Integer)
    order_keys: Mapped[dict[str, Any]] = mapped_column(JSONDocument)


class UsedAssertion(Base):
    """A sign-in assertion already accepted (`runtime.auth.replay`): kept until it would
    have expired anyway, so that a copied assertion cannot sign anyone in a second time,
    on any app process."""

    __tablename__ = "used_assertions"

    issuer: Mapped[str] = mapped_column(String(200), primary_key=True)
    assertion_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


# the staff side's tables live in `staff_models`; imported here so that they are on
# Base.metadata and `from runtime.storage.models import StaffUser` keeps working
from .staff_models import (  # noqa: E402,F401
    StaffUser, StaffRoleGrant, StaffSession, CaseNote, Payment, InformationRequest, FeeWaiver,
)


class CommissionSession(Base):
    """A sitting of a municipality's commission (declared in its overlay, `commissions:`):
    its day and place, the agenda (`commission_agenda`), and once closed the minutes PDF
    the worker rendered (`runtime.documents.minutes`)."""

    __tablename__ = "commission_sessions"
    __table_args__ = (Index("ix_commission_sessions_place", "municipality_id", "commission_id", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[str] = mapped_column(String(64))
    commission_id: Mapped[str] = mapped_column(String(100))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    closed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    minutes_path: Mapped[str | None] = mapped_column(String(300))     # under <instance>/documents/
    minutes_sha256: Mapped[str | None] = mapped_column(String(64))
    minutes_size: Mapped[int | None] = mapped_column(Integer)


class CommissionAgendaItem(Base):
    """A case on a session's agenda with the motion put to the vote: a step the service
    gives to a commission from the case's state (`source` -> `target`) and its text (the
    decision, or the reason told to the applicant). `outcome` once recorded: approved (the
    case made the step), rejected, or no_decision (a tie, or nobody voted)."""

    __tablename__ = "commission_agenda"
    __table_args__ = (UniqueConstraint("session_id", "submission_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("commission_sessions.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(40))
    motion: Mapped[str] = mapped_column(Text)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    added_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    outcome: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None] = mapped_column(Timestamp)


class CommissionVote(Base):
    """One member's vote on an agenda item: for, against or abstain; changeable until the
    outcome is recorded (one row per member and item)."""

    __tablename__ = "commission_votes"
    __table_args__ = (UniqueConstraint("item_id", "member_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("commission_agenda.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    vote: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)


class FeeAssessment(Base):
    """An amount a member of staff set for one of a case's `fees.assessed` (the tree
    felling compensation "calculated by the municipality"), with the reason
    (`runtime.cases.assessments`). One per case and fee: two clerks at once set it once."""

    __tablename__ = "fee_assessments"
    __table_args__ = (UniqueConstraint("submission_id", "fee_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    fee_id: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(Text)
    assessed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    assessed_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
