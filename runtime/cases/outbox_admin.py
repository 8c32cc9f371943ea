"""The outbox as an admin sees it: a municipality's pending, failed and dead messages,
and the two things an admin may do about one: retry it now, or discard it (a dead or
failed message only). Both are audited in the same transaction; the policy
(`access.may_manage_outbox`) decides who may, and a job of another municipality is not
found, as if it did not exist. Platform admins see every job (`municipality_id` None),
those of no municipality too (catalogue and open data runs).

Each group is paged in the database (its count, then `PAGE_SIZE` rows from an offset),
so the page costs the same with 100,000 waiting jobs as with ten."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, true, update

from ..storage.database import Database
from ..storage.models import OutboxJob, utc_now
from .access import Actor, may_manage_outbox
from .audit import AuditContext, record

PAGE_SIZE = 50
PENDING, FAILED, DEAD = "pending", "failed", "dead"


class OutboxRefused(PermissionError):
    """The actor may not see this municipality's outbox, or there is no such job in it."""


class NothingToDo(Exception):
    """The job is neither failed nor dead (it is pending or done): nothing to retry or discard."""


@dataclass(frozen=True)
class JobLine:
    id: int
    kind: str
    municipality_id: str | None
    target: str              # the publisher, or the job kind
    key: str | None
    attempts: int
    max_attempts: int | None
    last_error: str | None
    created_at: datetime
    run_after: datetime
    dead_at: datetime | None

    @property
    def group(self) -> str:
        if self.dead_at is not None:
            return DEAD
        return FAILED if self.last_error else PENDING


@dataclass(frozen=True)
class GroupPage:
    lines: list[JobLine]
    total: int
    page: int          # from 1
    pages: int


def _in_group(group: str):
    not_done = OutboxJob.done_at.is_(None)
    if group == DEAD:
        return and_(not_done, OutboxJob.dead_at.is_not(None))
    failed = OutboxJob.last_error.is_not(None) if group == FAILED else OutboxJob.last_error.is_(None)
    return and_(not_done, OutboxJob.dead_at.is_(None), failed)


def overview(database: Database, actor: Actor, municipality_id: str | None,
             pages: dict[str, int] | None = None) -> dict[str, GroupPage]:
    """Jobs not done, grouped pending / failed / dead, oldest first: the asked page of each
    (the first by default; past the last, the last)."""
    if not may_manage_outbox(actor, municipality_id):
        raise OutboxRefused(municipality_id)
    groups: dict[str, GroupPage] = {}
    with database.transaction() as session:
        for group in (PENDING, FAILED, DEAD):
            where = and_(_in_group(group), _tenant(municipality_id))
            total = session.scalar(select(func.count()).select_from(OutboxJob).where(where))
            last = max(1, -(-total // PAGE_SIZE))
            page = min(max(1, (pages or {}).get(group, 1)), last)
            rows = session.scalars(select(OutboxJob).where(where).order_by(OutboxJob.id)
                                   .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
            groups[group] = GroupPage([_line(row) for row in rows], total, page, last)
    return groups


def retry(database: Database, actor: Actor, context: AuditContext, municipality_id: str | None, job_id: int) -> None:
    """Make a failed or dead job due now, with its attempts counted afresh."""
    _change(database, actor, context, municipality_id, job_id, "outbox.retry",
            {"dead_at": None, "run_after": utc_now(), "attempts": 0})


def discard(database: Database, actor: Actor, context: AuditContext, municipality_id: str | None,
            job_id: int) -> None:
    """Give up on a failed or dead job: it is done, marked as discarded by the actor (and
    the messages after it in its case may go)."""
    _change(database, actor, context, municipality_id, job_id, "outbox.discard",
            {"done_at": utc_now(), "discarded_by": context.actor[:100]})


def _change(database: Database, actor: Actor, context: AuditContext, municipality_id: str | None, job_id: int,
            action: str, values: dict) -> None:
    if not may_manage_outbox(actor, municipality_id):
        raise OutboxRefused(municipality_id)
    with database.transaction() as session:
        job = session.scalars(select(OutboxJob).where(OutboxJob.id == job_id, _tenant(municipality_id))).first()
        if job is None:
            raise OutboxRefused(job_id)
        stuck = or_(OutboxJob.dead_at.is_not(None), OutboxJob.last_error.is_not(None))
        changed = session.execute(update(OutboxJob).where(OutboxJob.id == job_id, OutboxJob.done_at.is_(None), stuck,
                                                          or_(OutboxJob.locked_until.is_(None),
                                                              OutboxJob.locked_until < utc_now()))
                                  .values(**values).execution_options(synchronize_session=False)).rowcount
        if changed != 1:
            raise NothingToDo(job_id)
        record(session, context, action, municipality_id=job.municipality_id, object_type="outbox",
               object_id=str(job_id), kind=job.kind, target=_target(job))


def _tenant(municipality_id: str | None):
    return true() if municipality_id is None else OutboxJob.municipality_id == municipality_id


def _target(job: OutboxJob) -> str:
    return str((job.payload or {}).get("publisher") or job.kind)


def _line(job: OutboxJob) -> JobLine:
    return JobLine(job.id, job.kind, job.municipality_id, _target(job), job.idempotency_key, job.attempts, job.max_attempts,
                   job.last_error, job.created_at, job.run_after, job.dead_at)
