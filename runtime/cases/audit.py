"""The audit log: who did what to which case or setting, when and from where.

Every staff action and every view of a case file writes one row, in the same transaction
as the change it records (a change is never without its entry). Rows are never changed
or deleted: migration 0009 makes the database refuse it. Only the municipal admins of a
municipality read its log (`access.may_read_audit`); details never hold answer values
or personal codes, only what was done (a transition's target, a note's visibility).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import AuditEntry
from .access import Actor, may_read_audit

PAGE_SIZE = 100
CSV_COLUMNS = ("at", "actor", "action", "object_type", "object_id", "address", "details")


@dataclass(frozen=True)
class AuditContext:
    """Who acts (`staff:<id>`, never a name or personal code) and from which address."""
    actor: str
    address: str | None = None


class AuditRefused(PermissionError):
    """The actor may not read this municipality's audit log."""


def record(session: Session, context: AuditContext, action: str, *, municipality_id: str | None,
           object_type: str | None = None, object_id: str | None = None, **details: Any) -> None:
    session.add(AuditEntry(actor=context.actor[:200], action=action, municipality_id=municipality_id,
                           object_type=object_type, object_id=object_id, details=details,
                           address=(context.address or None) and context.address[:64]))


def record_now(database: Database, context: AuditContext, action: str, **fields: Any) -> None:
    with database.transaction() as session:
        record(session, context, action, **fields)


def entries(database: Database, actor: Actor, municipality_id: str, *, page: int = 1) -> tuple[list[AuditEntry], int]:
    """One page of the municipality's log, newest first, and how many entries it has."""
    if not may_read_audit(actor, municipality_id):
        raise AuditRefused(municipality_id)
    with database.transaction() as session:
        where = AuditEntry.municipality_id == municipality_id
        total = session.scalar(select(func.count()).select_from(AuditEntry).where(where)) or 0
        rows = list(session.scalars(select(AuditEntry).where(where).order_by(AuditEntry.id.desc())
                                    .offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
        session.expunge_all()
        return rows, total


def csv_lines(database: Database, actor: Actor, municipality_id: str) -> Iterator[str]:
    """The whole log of the municipality as CSV (oldest first), streamed in batches."""
    if not may_read_audit(actor, municipality_id):
        raise AuditRefused(municipality_id)
    yield _csv_row(CSV_COLUMNS)
    last_id = 0
    while True:
        with database.transaction() as session:
            rows = list(session.scalars(select(AuditEntry).where(AuditEntry.municipality_id == municipality_id,
                                                                 AuditEntry.id > last_id)
                                        .order_by(AuditEntry.id).limit(1000)))
            for row in rows:
                yield _csv_row((row.at.isoformat(), row.actor, row.action, row.object_type or "", row.object_id or "",
                                row.address or "", _details_text(row.details)))
        if not rows:
            return
        last_id = rows[-1].id


def _details_text(details: dict[str, Any] | None) -> str:
    return "; ".join(f"{key}={value}" for key, value in sorted((details or {}).items()))


def _csv_row(values: tuple) -> str:
    buffer = io.StringIO()
    # a cell starting with = + - @ would be a formula in a spreadsheet: prefix it
    csv.writer(buffer).writerow([f"'{v}" if str(v)[:1] in "=+-@" else v for v in values])
    return buffer.getvalue()
