"""Case references such as `RIX-SUN-2026-000123`: municipality code, service code, year
and a sequence number that is unique under concurrency.

The number comes from one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` statement: on
PostgreSQL the conflicting row is locked until the transaction ends; on SQLite the
statement takes the write lock first (no read-then-write upgrade that could fail with
SQLITE_BUSY). Call it inside the transaction that stores the submission, so that a
rolled-back submission does not consume a number another one could get.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Insert, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import CaseSequence

SEQUENCE_DIGITS = 6


# Built once per dialect: every submission draws a number.
_NEXT_VALUE: dict[str, Insert] = {}


def _next_value_statement(dialect: str) -> Insert:
    statement = _NEXT_VALUE.get(dialect)
    if statement is None:
        table = CaseSequence.__table__
        statement = dialect_insert(dialect, table).values(
            {**{name: bindparam(name, type_=table.c[name].type) for name in ("municipality_id", "service_code", "year")},
             "last_value": 1})
        statement = _NEXT_VALUE[dialect] = statement.on_conflict_do_update(
            index_elements=["municipality_id", "service_code", "year"],
            set_={"last_value": table.c.last_value + 1},
        ).returning(table.c.last_value)
    return statement


def next_sequence_value(session: Session, municipality_id: str, service_code: str, year: int) -> int:
    return session.execute(_next_value_statement(session.get_bind().dialect.name),
                           {"municipality_id": municipality_id, "service_code": service_code, "year": year}
                           ).scalar_one()


def format_reference(municipality_code: str, service_code: str, year: int, value: int) -> str:
    return f"{municipality_code}-{service_code}-{year}-{value:0{SEQUENCE_DIGITS}d}"


def next_case_reference(
    session: Session, municipality_id: str, municipality_code: str, service_code: str, year: int
) -> str:
    value = next_sequence_value(session, municipality_id, service_code, year)
    return format_reference(municipality_code, service_code, year, value)


def dialect_insert(dialect: str, model: Any) -> Insert:
    """An INSERT for `model` (a mapped class or a table) that knows `ON CONFLICT` on SQLite and PostgreSQL."""
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"upserts need SQLite or PostgreSQL, not {dialect}")
