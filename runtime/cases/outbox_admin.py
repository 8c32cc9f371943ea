"""The outbox as an admin sees it: a municipality's pending, failed and dead messages,
and the two things an admin may do about one: retry it now, or discard it (a dead or
failed message only). Both are audited in the same transaction; the policy
(`access.may_manage_outbox`) decides who may, and a job of another municipality is not
found, as if it did not exist. Platform admins see every job (`municipality_id` None),
those of no municipality too (catalogue and open data runs)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, true, update

from ..storage.database import Database
from ..storage.models import OutboxJob, utc_now
from .access import Actor, may_manage_outbox
from .audit import AuditContext, record

LIST_LIMIT = 200
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


def overview(database: Database, actor: Actor, municipality_id: str | None) -> dict[str, list[JobLine]]:
    """Jobs not done, grouped pending / failed / dead, oldest first (at most LIST_LIMIT each)."""
    if not may_manage_outbox(actor, municipality_id):
        raise OutboxRefused(municipality_id)
    groups: dict[str, list[JobLine]] = {PENDING: [], FAILED: [], DEAD: []}
    with database.transaction() as session:
        rows = session.scalars(select(OutboxJob).where(OutboxJob.done_at.is_(None), _tenant(municipality_id))
                               .order_by(OutboxJob.id).limit(LIST_LIMIT * 3))
        for row in rows:
            line = _line(row)
            if len(groups[line.group]) < LIST_LIMIT:
                groups[line.group].append(line)
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
