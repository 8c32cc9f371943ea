"""The staff side's tables (`runtime.cases.staff_accounts`, `runtime.cases.caseflow`,
`runtime.cases.payments`, `runtime.cases.requests`, `runtime.cases.waivers`): members of
staff, their roles and sessions, and what they add to a case (notes, payments,
information requests, fee waivers). `models` re-exports them, so both names import.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, Money, Timestamp, utc_now


class StaffUser(Base):
    """A member of staff: signs in with e-mail and password (argon2id hash). After
    repeated failures the account is locked for a while (`locked_until`); a disabled
    account cannot sign in and its sessions end."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(Timestamp)
    disabled_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    # the staff pages', the case file's and the digest's language (migration 0019)
    language: Mapped[str] = mapped_column(String(8), default="lv", server_default="lv")


class StaffRoleGrant(Base):
    """One role of a member of staff: its kind, in a municipality (none for a platform
    admin) and, optionally, one institution there. A person may hold several."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", "municipality_id", "institution_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    municipality_id: Mapped[str | None] = mapped_column(String(64), index=True)
    institution_id: Mapped[str | None] = mapped_column(String(100))


class StaffSession(Base):
    """A staff sign-in: the cookie holds a random token, the row only its SHA-256, so a
    session ends for real (sign-out, disable) and a database copy opens none."""

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(Timestamp)


class CaseNote(Base):
    """A note on a case by a member of staff: internal, or visible to the applicant."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    visible_to_applicant: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)


class Payment(Base):
    """Money received for a case (`runtime.cases.payments`): recorded by hand, or a line
    of an imported bank statement (then `entry_key`, unique, makes a second import of the
    same statement pay nothing twice). A statement line that matched no case keeps
    `submission_id` NULL until a person resolves it."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[str] = mapped_column(String(64), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    entry_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    remittance: Mapped[str] = mapped_column(Text, default="")
    debtor: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    recorded_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)


class InformationRequest(Base):
    """Staff ask the applicant for more information or files (`runtime.cases.requests`):
    the case waits in the service's waiting state until the applicant answers, then
    returns to `returns_to`. Files of the answer are `uploads` of the case whose
    `field_path` is `request:<id>`."""

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    asked_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    asked_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    asked_on: Mapped[date] = mapped_column(Date)     # the day in Latvia, for a paused due date
    question: Mapped[str] = mapped_column(Text)
    wants_files: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_by: Mapped[date | None] = mapped_column(Date)
    returns_to: Mapped[str] = mapped_column(String(40))
    answered_at: Mapped[datetime | None] = mapped_column(Timestamp)
    answer: Mapped[str | None] = mapped_column(Text)


class FeeWaiver(Base):
    """A case's fee waived by a member of staff, with the reason (`runtime.cases.waivers`):
    a process step that `requires: [paid]` then passes. One per case."""

    __tablename__ = "fee_waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    waived_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    waived_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
