"""Tables of the hand-written app: the same writes as the runtime (a draft row created at
start and updated on every page, then in one transaction: the draft deleted, a case number
drawn by an upsert, the submission and an outbox job inserted)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import (JSON, DateTime, Integer, MetaData, Numeric, String, Text, Uuid, create_engine, event)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData()


class Draft(Base):
    __tablename__ = "hw_drafts"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    municipality_id: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict] = mapped_column(JSONDocument, default=dict)
    current_page: Mapped[str | None] = mapped_column(String(100))
    person_code_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    resume_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Submission(Base):
    __tablename__ = "hw_submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    municipality_id: Mapped[str] = mapped_column(String(64), index=True)
    answers: Mapped[dict] = mapped_column(JSONDocument)
    fee_total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(40))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    person_code_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    locale: Mapped[str] = mapped_column(String(8), default="lv")


class CaseSequence(Base):
    __tablename__ = "hw_case_sequences"
    municipality_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    service_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class OutboxJob(Base):
    __tablename__ = "hw_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text)


def next_reference(session, municipality_id: str, code: str, service_code: str, year: int) -> str:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(CaseSequence).values(municipality_id=municipality_id, service_code=service_code,
                                            year=year, last_value=1)
    statement = statement.on_conflict_do_update(
        index_elements=["municipality_id", "service_code", "year"],
        set_={"last_value": CaseSequence.last_value + 1}).returning(CaseSequence.last_value)
    value = session.execute(statement).scalar_one()
    return f"{code}-{service_code}-{year}-{value:06d}"


def make_sessions(url: str) -> sessionmaker:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):   # the runtime's SQLite settings
            cursor = connection.cursor()
            for pragma in ("foreign_keys = ON", "busy_timeout = 30000", "journal_mode = WAL", "synchronous = NORMAL"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()
    else:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), pool_pre_ping=True)
    return sessionmaker(engine, expire_on_commit=False)


def create_tables(url: str) -> None:
    Base.metadata.create_all(make_sessions(url).kw["bind"])
