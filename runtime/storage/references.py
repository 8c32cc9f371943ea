"""Case references such as `RIX-SUN-2026-000123`: municipality code, service code, year
and a sequence number that is unique under concurrency.

The number comes from one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement: on
PostgreSQL the conflicting row is locked until the transaction ends; on SQLite the
statement takes the write lock first (no read-then-write upgrade that could fail with
SQLITE_BUSY). Call it inside the transaction that stores the submission, so that a
rolled-back submission does not consume a number another one could get.
"""
from __future__ import annotations

from sqlalchemy import Insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import CaseSequence

SEQUENCE_DIGITS = 6


def next_sequence_value(session: Session, municipality_id: str, service_code: str, year: int) -> int:
    statement = dialect_insert(session.get_bind().dialect.name, CaseSequence).values(
        municipality_id=municipality_id, service_code=service_code, year=year, last_value=1
    )
    statement = statement.on_conflict_do_update(
        index_elements=["municipality_id", "service_code", "year"],
        set_={"last_value": CaseSequence.last_value + 1},
    ).returning(CaseSequence.last_value)
    return session.execute(statement).scalar_one()


def format_reference(municipality_code: str, service_code: str, year: int, value: int) -> str:
    return f"{municipality_code}-{service_code}-{year}-{value:0{SEQUENCE_DIGITS}d}"


def next_case_reference(
    session: Session, municipality_id: str, municipality_code: str, service_code: str, year: int
) -> str:
    value = next_sequence_value(session, municipality_id, service_code, year)
    return format_reference(municipality_code, service_code, year, value)


def dialect_insert(dialect: str, model: type) -> Insert:
    """An INSERT for `model` that knows `ON CONFLICT` on SQLite and PostgreSQL."""
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"upserts need SQLite or PostgreSQL, not {dialect}")
