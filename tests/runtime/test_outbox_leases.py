"""The outbox's own rows, for the mutants that survived (docs/mutation.md): what
`enqueue_once` stores, the moment and the backoff a failure records, and a worker's
update touching only its own, unfinished job; on both databases."""
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
