"""The outbox's own rows, for the mutants that survived (docs/mutation.md): what
`enqueue_once` stores, the moment and the backoff a failure records, a worker's
update touching only its own, unfinished job, a renewed lease (`renew`, which the
heartbeat calls while a job runs), the moments a job becomes due and free again, and the
order of claims and what a claim hands the worker; on both databases."""
from __future__ import annotations

from datetime import timedelta

import pytest

from runtime import outbox
from runtime.storage.models import OutboxJob, utc_now


@pytest.fixture
def state(app):
    return app.extensions["pkip"]


def row(state, job_id) -> OutboxJob:
    with state.database.transaction() as session:
        return session.get(OutboxJob, job_id)


def aware(moment):
    from datetime import timezone
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_enqueue_once_stores_every_column_it_is_given(state):
    outbox._INSERT_ONCE.clear()     # build its statement here, not take one an earlier test built
    with state.database.transaction() as session:
        job_id = outbox.enqueue_once(session, "message", {"n": 1}, idempotency_key="k1", ordering_key="case:A",
                                     municipality_id="riga", max_attempts=3)
    stored = row(state, job_id)
    assert (stored.kind, stored.payload, stored.idempotency_key, stored.ordering_key, stored.municipality_id,
            stored.max_attempts, stored.attempts) == ("message", {"n": 1}, "k1", "case:A", "riga", 3, 0)
    assert stored.created_at is not None and stored.run_after is not None


def test_a_failure_records_its_moment_and_the_backoff_of_its_jitter(state):
    with state.database.transaction() as session:
        job_id = outbox.enqueue_once(session, "message", {}, idempotency_key="k2", max_attempts=2)
    now = utc_now()
    job = outbox.claim(state.database, "w1", now=now)
    assert outbox.fail(state.database, job, "w1", "down", now=now, jitter=lambda: 0.0)
    assert aware(row(state, job_id).run_after) == now + outbox.backoff(1, lambda: 0.0)
    later = now + timedelta(hours=7)
    last = outbox.claim(state.database, "w1", now=later)
    assert last.last_attempt and outbox.fail(state.database, last, "w1", "down again", now=later)
    assert aware(row(state, job_id).dead_at) == later      # the dead letter's moment is the one given


def test_a_worker_changes_only_its_own_unfinished_job(state):
    with state.database.transaction() as session:
        jobs = [outbox.enqueue(session, "message", {"n": n}) for n in (1, 2)]
        session.flush()
        first, second = (job.id for job in jobs)
    now = utc_now()
    one, two = outbox.claim(state.database, "w1", now=now), outbox.claim(state.database, "w1", now=now)
    assert {one.id, two.id} == {first, second}
    assert outbox.complete(state.database, one, "w1", now=now)
    assert row(state, two.id).done_at is None, "completing one lease finished the other"
    assert not outbox.fail(state.database, one, "w1", "late", now=now), "a finished job was failed"
    assert row(state, one.id).done_at is not None and row(state, one.id).last_error is None


def test_a_renewed_lease_runs_from_now_and_only_its_worker_renews_it(state):
    long_ago = utc_now() - timedelta(minutes=5)
    with state.database.transaction() as session:
        job = outbox.enqueue(session, "message", {}, run_after=long_ago)
        session.flush()
        job_id = job.id
    job = outbox.claim(state.database, "w1", now=long_ago)
    assert not outbox.renew(state.database, job, "w2"), "another worker renewed the lease"
    assert aware(row(state, job_id).locked_until) == long_ago + outbox.LEASE
    before = utc_now()
    assert outbox.renew(state.database, job, "w1")
    renewed = aware(row(state, job_id).locked_until)
    assert before + outbox.LEASE <= renewed <= utc_now() + outbox.LEASE
    assert outbox.renew(state.database, job, "w1", lease=timedelta(minutes=10))
    assert aware(row(state, job_id).locked_until) >= before + timedelta(minutes=10)
    assert outbox.complete(state.database, job, "w1")
    assert not outbox.renew(state.database, job, "w1"), "a finished job's lease was renewed"


def test_a_job_is_due_at_its_moment_and_free_when_its_lease_has_run_out(state):
    now = utc_now()
    with state.database.transaction() as session:
        job = outbox.enqueue(session, "message", {}, run_after=now)
        session.flush()
        job_id = job.id
    assert outbox.claim(state.database, "w1", now=now - timedelta(microseconds=1)) is None
    taken = outbox.claim(state.database, "w1", now=now, lease=timedelta(seconds=60))
    assert taken.id == job_id and aware(row(state, job_id).locked_until) == now + timedelta(seconds=60)
    assert outbox.claim(state.database, "w2", now=now + timedelta(seconds=60)) is None, "taken at its lease's end"
    assert outbox.claim(state.database, "w2", now=now + timedelta(seconds=61)).id == job_id


def test_the_job_due_longest_is_claimed_first_then_the_next(state):
    now = utc_now()
    with state.database.transaction() as session:
        late = outbox.enqueue(session, "message", {"n": "late"}, run_after=now - timedelta(minutes=1))
        early = outbox.enqueue(session, "message", {"n": "early"}, run_after=now - timedelta(minutes=9))
        same = outbox.enqueue(session, "message", {"n": "same"}, run_after=now - timedelta(minutes=1))
        session.flush()
        order = [early.id, late.id, same.id]
    claimed = [outbox.claim(state.database, "w1", now=now) for _ in order]
    assert [job.id for job in claimed] == order
    assert [job.payload["n"] for job in claimed] == ["early", "late", "same"]
    assert outbox.claim(state.database, "w1", now=now) is None


def test_a_claimed_message_carries_its_idempotency_key_to_the_worker(state):
    with state.database.transaction() as session:
        outbox.enqueue_once(session, "message", {"n": 1}, idempotency_key="case:A:sent", max_attempts=4)
        outbox.enqueue(session, "task", {"n": 2}, run_after=utc_now() + timedelta(seconds=1))
    message = outbox.claim(state.database, "w1")
    assert (message.kind, message.payload, message.idempotency_key, message.attempts, message.max_attempts) == (
        "message", {"n": 1}, "case:A:sent", 1, 4)
    task = outbox.claim(state.database, "w1", now=utc_now() + timedelta(seconds=2))
    assert (task.kind, task.idempotency_key, task.max_attempts) == ("task", None, None)


def test_enqueue_now_writes_a_job_due_at_once(state):
    before = utc_now()
    with state.database.transaction() as session:
        outbox.enqueue_now(session, "pdf", {"case": "A-1"})
    job = outbox.claim(state.database, "w1")
    stored = row(state, job.id)
    assert (job.kind, job.payload, job.attempts, job.idempotency_key) == ("pdf", {"case": "A-1"}, 1, None)
    assert before <= aware(stored.created_at) == aware(stored.run_after) <= utc_now()
