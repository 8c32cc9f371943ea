"""The outbox: long or remote tasks written in the same transaction as the change that
caused them, then claimed and run by workers (`runtime.worker`).

A claim is a lease. One statement sets `locked_by` and `locked_until` on the oldest due
job; on PostgreSQL the job is picked with `FOR UPDATE SKIP LOCKED`, so any number of
workers on any number of machines never take the same job; on SQLite the database
serialises writers, and the statement re-checks that the job is still free. The lease is
short (`LEASE`, 20 s) and the worker renews it every `HEARTBEAT` (5 s) while the handler
runs (`runtime.worker`), so a long job keeps its lease and a worker that dies (killed,
machine gone) loses it within seconds; another worker then retries the job: jobs run at
least once, so handlers are idempotent.

A failed job is retried with exponential backoff (30 s, 1 min, 2 min, ... capped at 6 h);
nothing is ever dropped. `attempts` counts claims, `last_error` keeps the latest failure.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from .storage.database import Database
from .storage.models import OutboxJob, utc_now

LEASE = timedelta(seconds=20)
HEARTBEAT = timedelta(seconds=5)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int           # including this one


def enqueue(session: Session, kind: str, payload: dict[str, Any], *, run_after: datetime | None = None) -> OutboxJob:
    """Add a job in the caller's transaction (it exists only if the caller commits)."""
    job = OutboxJob(kind=kind, payload=payload, run_after=run_after or utc_now(), attempts=0)
    session.add(job)
    return job


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 30 s doubling, at most 6 h."""
    delay = FIRST_RETRY * (2 ** max(0, min(attempts - 1, 20)))
    return min(delay, LONGEST_RETRY)


def _due(now: datetime):
    return and_(
        OutboxJob.done_at.is_(None),
        OutboxJob.run_after <= now,
        or_(OutboxJob.locked_until.is_(None), OutboxJob.locked_until < now),
    )


def claim(database: Database, worker_id: str, *, now: datetime | None = None,
          lease: timedelta | None = None) -> ClaimedJob | None:
    """Lease the oldest due job to `worker_id`, or None when nothing is due."""
    now, lease = now or utc_now(), lease or LEASE
    candidate = select(OutboxJob.id).where(_due(now)).order_by(OutboxJob.run_after, OutboxJob.id).limit(1)
    if database.dialect == "postgresql":
        candidate = candidate.with_for_update(skip_locked=True)
    statement = (
        update(OutboxJob)
        # the re-check of `_due` makes the claim safe even where the sub-select is not locked
        .where(OutboxJob.id == candidate.scalar_subquery(), _due(now))
        .values(locked_by=worker_id, locked_until=now + lease, attempts=OutboxJob.attempts + 1)
        .returning(OutboxJob.id, OutboxJob.kind, OutboxJob.payload, OutboxJob.attempts)
        .execution_options(synchronize_session=False)
    )
    with database.transaction() as session:
        row = session.execute(statement).first()
    return ClaimedJob(row.id, row.kind, dict(row.payload or {}), row.attempts) if row else None


def renew(database: Database, job: ClaimedJob, worker_id: str, *, lease: timedelta | None = None) -> bool:
    """Extend the worker's lease on a running job; False if it was lost meanwhile."""
    return _update_own(database, job, worker_id, {"locked_until": utc_now() + (lease or LEASE)})


def complete(database: Database, job: ClaimedJob, worker_id: str, *, now: datetime | None = None) -> bool:
    """Mark the job done; False if the lease was lost meanwhile (another worker has it)."""
    values = {"done_at": now or utc_now(), "locked_by": None, "locked_until": None, "last_error": None}
    return _update_own(database, job, worker_id, values)


def fail(database: Database, job: ClaimedJob, worker_id: str, error: str, *,
         now: datetime | None = None) -> bool:
    """Release the job for a retry after the backoff for its attempts so far."""
    now = now or utc_now()
    values = {
        "run_after": now + backoff(job.attempts),
        "last_error": error[:MAX_ERROR_CHARS],
        "locked_by": None,
        "locked_until": None,
    }
    return _update_own(database, job, worker_id, values)


def _update_own(database: Database, job: ClaimedJob, worker_id: str, values: dict[str, Any]) -> bool:
    statement = (
        update(OutboxJob)
        .where(OutboxJob.id == job.id, OutboxJob.locked_by == worker_id, OutboxJob.done_at.is_(None))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    with database.transaction() as session:
        return session.execute(statement).rowcount == 1


def pending_count(database: Database) -> int:
    with database.transaction() as session:
        return len(session.execute(select(OutboxJob.id).where(OutboxJob.done_at.is_(None))).all())
