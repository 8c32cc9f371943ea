"""The staff inbox: the cases routed to the institutions a member of staff works for, in
one municipality, filtered, searched, sorted by due date, a page at a time, with counts
per status.

Open cases are those whose status is not a final state of their service. A case is
"overdue" after its due date and "due soon" within `DUE_SOON_DAYS` working days of it.
The query runs on the inbox index (municipality, institution, status, due date).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from builder.expressions.dates import working_days_add
from sqlalchemy import String, and_, cast, false, func, not_, or_, select
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import ServiceVersion, StaffUser, Submission
from .access import SEE, Actor
from .applicants import applicant_of
from .clock import Clock

PAGE_SIZE = 50
DUE_SOON_DAYS = 2
MAX_WITHIN_DAYS = 250
OVERDUE, DUE_SOON = "overdue", "due_soon"
# the start of a case reference (`storage.references`: "RIX-KOC-2026-000123"): its
# municipality's and service's codes and a dash, the year and number optional
REFERENCE_START = re.compile(r"^[A-Za-z]{2,6}-[A-Za-z0-9]{2,10}-(\d{1,4}(-\d*)?)?$")


@dataclass(frozen=True)
class InboxQuery:
    service: str | None = None
    status: str | None = None
    due: str | None = None               # OVERDUE, or "within" (with within_days)
    within_days: int | None = None
    assigned_to_me: bool = False
    channel: str | None = None
    search: str = ""
    page: int = 1


@dataclass(frozen=True)
class InboxRow:
    reference: str
    service_id: str
    status: str
    due_on: date | None
    submitted_at: datetime
    channel: str
    applicant: str
    assigned_to: str | None
    marker: str | None                   # OVERDUE, DUE_SOON or None


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)     # open cases per status


def final_states(catalogue: Any) -> dict[str, frozenset[str]]:
    return {service_id: frozenset(s.id for s in service.process.states.values() if s.final)
            for service_id, service in catalogue.services.items() if service.process is not None}


def scope_condition(actor: Actor, municipality_id: str) -> Any:
    """The cases of this municipality the actor's roles may see (nothing without one)."""
    roles = [r for r in actor.roles if r.municipality_id == municipality_id and SEE in r.actions]
    if any(r.institution_id is None for r in roles):
        return Submission.municipality_id == municipality_id
    institutions = sorted({r.institution_id for r in roles if r.institution_id})
    if not institutions:
        return false()
    return and_(Submission.municipality_id == municipality_id, Submission.institution_id.in_(institutions))


def open_condition(finals: dict[str, frozenset[str]]) -> Any:
    closed = [and_(ServiceVersion.service_id == service_id, Submission.status.in_(sorted(states)))
              for service_id, states in finals.items() if states]
    return not_(or_(*closed)) if closed else True


def marker(due_on: date | None, is_open: bool, today: date) -> str | None:
    if due_on is None or not is_open:
        return None
    if due_on < today:
        return OVERDUE
    return DUE_SOON if due_on <= working_days_add(today, DUE_SOON_DAYS) else None


def inbox(database: Database, catalogue: Any, actor: Actor, clock: Clock, municipality_id: str,
          query: InboxQuery) -> InboxPage:
    finals = final_states(catalogue)
    today = clock.today()
    scope = and_(scope_condition(actor, municipality_id))
    with database.transaction() as session:
        counts = _counts(session, scope, finals)
        where = and_(scope, *_filters(session, actor, query, finals, today))
        total = session.scalar(select(func.count()).select_from(Submission).join(ServiceVersion).where(where)) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(query.page, 1), pages)
        found = session.execute(
            select(Submission, ServiceVersion.service_id, StaffUser.name).join(ServiceVersion)
            .outerjoin(StaffUser, Submission.assigned_to_id == StaffUser.id).where(where)
            .order_by(Submission.due_on.is_(None), Submission.due_on, Submission.submitted_at)
            .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        rows = [_row(case, service_id, assignee, finals, today) for case, service_id, assignee in found]
    return InboxPage(rows=rows, total=total, page=page, pages=pages, counts=counts)


def _row(case: Submission, service_id: str, assignee: str | None, finals: dict, today: date) -> InboxRow:
    is_open = case.status not in finals.get(service_id, frozenset())
    return InboxRow(reference=case.reference, service_id=service_id, status=case.status, due_on=case.due_on,
                    submitted_at=case.submitted_at, channel=case.channel, applicant=applicant_of(case.answers).name,
                    assigned_to=assignee, marker=marker(case.due_on, is_open, today))


def _counts(session: Session, scope: Any, finals: dict) -> dict[str, int]:
    statement = (select(Submission.status, func.count()).join(ServiceVersion)
                 .where(scope, open_condition(finals)).group_by(Submission.status))
    return {status: count for status, count in session.execute(statement)}


def _filters(session: Session, actor: Actor, query: InboxQuery, finals: dict, today: date) -> list[Any]:
    conditions: list[Any] = []
    if query.service:
        conditions.append(ServiceVersion.service_id == query.service)
    if query.status:
        conditions.append(Submission.status == query.status)
    else:
        conditions.append(open_condition(finals))
    if query.due == OVERDUE:
        conditions.append(Submission.due_on < today)
    elif query.due == "within" and query.within_days is not None:
        days = min(max(query.within_days, 0), MAX_WITHIN_DAYS)
        conditions.append(and_(Submission.due_on >= today, Submission.due_on <= working_days_add(today, days)))
    if query.assigned_to_me:
        conditions.append(Submission.assigned_to_id == actor.staff_user_id)
    if query.channel:
        conditions.append(Submission.channel == query.channel)
    if query.search.strip():
        conditions.append(_search(session, query.search.strip()))
    return conditions


def _search(session: Session, text: str) -> Any:
    """A case reference (or its start: "RIX-KOC-2026-00"), or else any text of the answers
    such as the applicant's name. A reference-shaped search looks at references only, so
    that it is an index range scan (migration 0020), not a pass over every case's answers.
    SQLite keeps JSON as UTF-8 text (`storage.database.stored_json`, migration 0023), so
    the text is quoted alike: its quotes and backslashes escaped, its letters as they are."""
    # no ESCAPE clause: the shape holds no % or _, and PostgreSQL turns a plain constant
    # prefix into the index's range
    by_reference = func.lower(Submission.reference).like(text.lower()[:40].replace("%", "").replace("_", "") + "%")
    if REFERENCE_START.match(text):
        return by_reference
    needle = text.lower()[:100]
    if session.get_bind().dialect.name != "postgresql":
        needle = json.dumps(needle, ensure_ascii=False)[1:-1]
    return or_(by_reference, func.lower(cast(Submission.answers, String)).like(
        "%" + _like_escaped(needle) + "%", escape="\\"))


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def overdue_by_institution(database: Database, catalogue: Any, clock: Clock,
                           municipality_id: str | None = None) -> dict[tuple[str, str | None], list[InboxRow]]:
    """Every open case past its due date, per (municipality, institution): what the daily
    job (`pkip overdue`) lists. Not per actor: it runs for the platform."""
    finals, today = final_states(catalogue), clock.today()
    where = [Submission.due_on < today, open_condition(finals)]
    if municipality_id is not None:
        where.append(Submission.municipality_id == municipality_id)
    found: dict[tuple[str, str | None], list[InboxRow]] = {}
    with database.transaction() as session:
        rows = session.execute(select(Submission, ServiceVersion.service_id, StaffUser.name).join(ServiceVersion)
                               .outerjoin(StaffUser, Submission.assigned_to_id == StaffUser.id).where(*where)
                               .order_by(Submission.municipality_id, Submission.institution_id, Submission.due_on))
        for case, service_id, assignee in rows:
            found.setdefault((case.municipality_id, case.institution_id), []).append(
                _row(case, service_id, assignee, finals, today))
    return found
