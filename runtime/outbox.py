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

A failed job is retried with exponential backoff and jitter (about 30 s, 1 min, 2 min, ...
capped at 6 h; each wait is drawn between half and all of that, so that jobs failing
together do not come back together). `attempts` counts claims, `last_error` keeps the
latest failure. A job with `max_attempts` becomes a dead letter (`dead_at`) after its last
attempt, or at once when the receiver refused it for good (`bury`); it waits there for an
admin to retry or discard it (`runtime.cases.outbox_admin`). Nothing is ever dropped.

Messages to the outside world carry an `idempotency_key` (unique: `enqueue_once` writes a
message once however often its cause is retried; the receiver applies a key once) and an
`ordering_key` (the case): a job is not due while an earlier job with the same ordering key
is not done, dead letters included, so one case's messages leave in the order written.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from sqlalchemy import and_, bindparam, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

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
    max_attempts: int | None = None
    idempotency_key: str | None = None

    @property
    def last_attempt(self) -> bool:
        return self.max_attempts is not None and self.attempts >= self.max_attempts


def enqueue(session: Session, kind: str, payload: dict[str, Any], *, run_after: datetime | None = None) -> OutboxJob:
    """Add a job in the caller's transaction (it exists only if the caller commits)."""
    job = OutboxJob(kind=kind, payload=payload, run_after=run_after or utc_now(), attempts=0)
    session.add(job)
    return job


# Built once: every submission writes two or three jobs through them (a statement built
# per call costs about as much as running it).
_OUTBOX = OutboxJob.__table__
_INSERT_JOB = insert(_OUTBOX)
_INSERT_ONCE: dict[str, Any] = {}


def enqueue_now(session: Session, kind: str, payload: dict[str, Any]) -> None:
    """`enqueue` with one prebuilt INSERT at once, for a caller that needs no `OutboxJob`."""
    enqueue_all_now(session, [(kind, payload)])


def enqueue_all_now(session: Session, jobs: list[tuple[str, dict[str, Any]]]) -> None:
    """`enqueue_now` of several (kind, payload) jobs, in this order, sent together (one
    executemany: one round trip to PostgreSQL for a submission's PDF and e-mail jobs)."""
    now = utc_now()
    session.execute(_INSERT_JOB, [{"kind": kind, "payload": payload, "created_at": now, "run_after": now,
                                   "attempts": 0} for kind, payload in jobs])


def _insert_once(dialect: str):
    statement = _INSERT_ONCE.get(dialect)
    if statement is None:
        insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = _INSERT_ONCE[dialect] = insert_for(_OUTBOX).values(
            {name: bindparam(name, type_=_OUTBOX.c[name].type) for name in ("kind", "payload", "created_at", "run_after", "attempts",
                                                "idempotency_key", "ordering_key", "municipality_id",
                                                "max_attempts")},
        ).on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(_OUTBOX.c.id)
    return statement


def enqueue_once(session: Session, kind: str, payload: dict[str, Any], *, idempotency_key: str,
                 ordering_key: str | None = None, municipality_id: str | None = None,
                 max_attempts: int | None = None) -> int | None:
    """Add a message in the caller's transaction unless one with its key exists (then None):
    one statement, so two transactions writing the same message leave one row."""
    now = utc_now()
    return session.execute(_insert_once(session.get_bind().dialect.name), {
        "kind": kind, "payload": payload, "created_at": now, "run_after": now, "attempts": 0,
        "idempotency_key": idempotency_key, "ordering_key": ordering_key, "municipality_id": municipality_id,
        "max_attempts": max_attempts}).scalar()


def backoff(attempts: int, jitter: Callable[[], float] = random.random) -> timedelta:
    """The wait after the `attempts`-th failed try: 30 s doubling, at most 6 h, then a
    random part of it between half and all ("equal jitter")."""
    delay = min(FIRST_RETRY * (2 ** max(0, min(attempts - 1, 20))), LONGEST_RETRY)
    return delay * (0.5 + 0.5 * jitter())


def _due(now: datetime):
    earlier = aliased(OutboxJob)
    waits_for_earlier = exists().where(
        earlier.ordering_key == OutboxJob.ordering_key, earlier.id < OutboxJob.id, earlier.done_at.is_(None))
    return and_(
        OutboxJob.done_at.is_(None),
        OutboxJob.dead_at.is_(None),
        OutboxJob.run_after <= now,
        or_(OutboxJob.locked_until.is_(None), OutboxJob.locked_until < now),
        or_(OutboxJob.ordering_key.is_(None), ~waits_for_earlier),
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
        .returning(OutboxJob.id, OutboxJob.kind, OutboxJob.payload, OutboxJob.attempts,
                   OutboxJob.max_attempts, OutboxJob.idempotency_key)
        .execution_options(synchronize_session=False)
    )
    with database.transaction() as session:
        row = session.execute(statement).first()
    if row is None:
        return None
    return ClaimedJob(row.id, row.kind, dict(row.payload or {}), row.attempts, row.max_attempts,
                      row.idempotency_key)


def renew(database: Database, job: ClaimedJob, worker_id: str, *, lease: timedelta | None = None) -> bool:
    """Extend the worker's lease on a running job; False if it was lost meanwhile."""
    return _update_own(database, job, worker_id, {"locked_until": utc_now() + (lease or LEASE)})


def complete(database: Database, job: ClaimedJob, worker_id: str, *, now: datetime | None = None) -> bool:
    """Mark the job done; False if the lease was lost meanwhile (another worker has it)."""
    values = {"done_at": now or utc_now(), "locked_by": None, "locked_until": None, "last_error": None}
    return _update_own(database, job, worker_id, values)


def fail(database: Database, job: ClaimedJob, worker_id: str, error: str, *,
         now: datetime | None = None, jitter: Callable[[], float] = random.random) -> bool:
    """Release the job for a retry after the backoff for its attempts so far; after its
    last attempt it becomes a dead letter instead."""
    if job.last_attempt:
        return bury(database, job, worker_id, error, now=now)
    now = now or utc_now()
    values = {
        "run_after": now + backoff(job.attempts, jitter),
        "last_error": error[:MAX_ERROR_CHARS],
        "locked_by": None,
        "locked_until": None,
    }
    return _update_own(database, job, worker_id, values)


def bury(database: Database, job: ClaimedJob, worker_id: str, error: str, *, now: datetime | None = None) -> bool:
    """Park the job as a dead letter: the receiver refused it for good, or it had its last try."""
    values = {"dead_at": now or utc_now(), "last_error": error[:MAX_ERROR_CHARS], "locked_by": None,
              "locked_until": None}
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
