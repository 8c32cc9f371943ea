"""The outbox worker: claims, retries with backoff, leases, and concurrent workers that
never take the same job; on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
from datetime import timedelta, timezone

import pytest

from runtime import outbox
from runtime.storage.models import OutboxJob, utc_now
from runtime.worker import run_pending

from .support_documents import ROOT


@pytest.fixture
def state(app):
    return app.extensions["pkip"]


def add_jobs(state, count: int, kind: str = "test") -> list[int]:
    with state.database.transaction() as session:
        jobs = [outbox.enqueue(session, kind, {"n": n}) for n in range(count)]
        session.flush()
        return [job.id for job in jobs]


def utc(moment):
    """SQLite gives timestamps back without their zone (they are stored in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def job(state, job_id: int) -> OutboxJob:
    with state.database.transaction() as session:
        return session.get(OutboxJob, job_id)


def test_a_job_runs_once_and_is_marked_done(state):
    [job_id] = add_jobs(state, 1)
    seen = []
    report = run_pending(state, handlers={"test": lambda s, payload: seen.append(payload)})
    assert report.done == [job_id] and seen == [{"n": 0}]
    done = job(state, job_id)
    assert done.done_at is not None and done.attempts == 1 and done.locked_by is None
    assert run_pending(state, handlers={"test": lambda s, p: seen.append(p)}).done == []


def test_a_failing_job_is_retried_with_exponential_backoff(state):
    [job_id] = add_jobs(state, 1)
    calls = []

    def flaky(_state, payload):
        calls.append(payload)
        if len(calls) < 3:
            raise ConnectionError("the receiver is down")

    now = utc_now()
    assert run_pending(state, handlers={"test": flaky}, now=now).failed == [job_id]
    first = job(state, job_id)
    assert first.attempts == 1 and first.done_at is None and first.last_error == "ConnectionError: the receiver is down"
    wait = utc(first.run_after) - now
    assert timedelta(seconds=15) <= wait <= timedelta(seconds=30)      # 30 s with jitter
    # not due again before its time
    assert run_pending(state, handlers={"test": flaky}, now=now + wait - timedelta(seconds=1)).failed == []
    later = now + wait + timedelta(seconds=1)
    assert run_pending(state, handlers={"test": flaky}, now=later).failed == [job_id]
    assert timedelta(seconds=30) <= utc(job(state, job_id).run_after) - later <= timedelta(seconds=60)
    assert run_pending(state, handlers={"test": flaky}, now=later + timedelta(minutes=2)).done == [job_id]
    final = job(state, job_id)
    assert final.attempts == 3 and final.done_at is not None and final.last_error is None


def test_backoff_doubles_up_to_six_hours_and_jitter_takes_up_to_half_off():
    assert [outbox.backoff(n, lambda: 1.0).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert [outbox.backoff(n, lambda: 0.0).total_seconds() for n in (1, 2, 3, 4)] == [15, 30, 60, 120]
    assert outbox.backoff(50, lambda: 1.0) == timedelta(hours=6)
    waits = {outbox.backoff(3) for _ in range(50)}
    assert len(waits) > 1 and all(timedelta(seconds=60) <= w <= timedelta(seconds=120) for w in waits)


def test_an_unknown_kind_is_kept_and_retried_not_dropped(state):
    [job_id] = add_jobs(state, 1, kind="publish_somewhere_new")
    assert run_pending(state, handlers={}).failed == [job_id]
    assert "no handler" in job(state, job_id).last_error and job(state, job_id).done_at is None


def test_a_dead_workers_lease_runs_out_and_another_worker_takes_the_job(state):
    [job_id] = add_jobs(state, 1)
    now = utc_now()
    claimed = outbox.claim(state.database, "dead-worker", now=now)
    assert claimed.id == job_id
    assert outbox.claim(state.database, "other", now=now + outbox.LEASE - timedelta(seconds=1)) is None
    again = outbox.claim(state.database, "other", now=now + outbox.LEASE + timedelta(seconds=1))
    assert again.id == job_id and again.attempts == 2
    assert outbox.complete(state.database, claimed, "dead-worker") is False   # it lost the lease
    assert outbox.complete(state.database, again, "other") is True


def test_concurrent_workers_never_claim_the_same_job(state):
    job_ids = add_jobs(state, 60)
    claimed: dict[str, list[int]] = {}
    errors = []
    start = threading.Barrier(4)

    def work(worker_id: str):
        mine = claimed.setdefault(worker_id, [])
        try:
            start.wait()
            while (found := outbox.claim(state.database, worker_id)) is not None:
                mine.append(found.id)
                outbox.complete(state.database, found, worker_id)
        except Exception as error:  # reported below, a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    every = [job_id for ids in claimed.values() for job_id in ids]
    assert sorted(every) == sorted(job_ids)            # each job once, none lost
    assert outbox.pending_count(state.database) == 0


KILLED_WORKER = """
import sys, time
from datetime import timedelta
from types import SimpleNamespace
from runtime import outbox, worker
from runtime.storage.database import Database

outbox.LEASE, outbox.HEARTBEAT = timedelta(seconds=float(sys.argv[2])), timedelta(seconds=0.2)
state = SimpleNamespace(database=Database(sys.argv[1]))
worker.run_pending(state, handlers={"slow": lambda state, payload: time.sleep(600)}, worker_id="doomed")
"""


def test_a_killed_workers_job_is_taken_over_within_seconds(state, app_config, tmp_path):
    """Issue 16 finding 9: a real worker process renews its short lease while the job
    runs (so a long job is not taken from it), and once it is killed with SIGKILL the
    job is claimed by another worker as soon as the lease runs out, not 10 minutes later."""
    import signal
    import subprocess
    import sys
    import time

    lease = 1.5
    [job_id] = add_jobs(state, 1, kind="slow")
    script = tmp_path / "killed_worker.py"
    script.write_text(KILLED_WORKER)
    process = subprocess.Popen([sys.executable, str(script), app_config["database_url"], str(lease)],
                               cwd=str(ROOT))
    try:
        deadline = time.monotonic() + 60
        while job(state, job_id).locked_by != "doomed":
            assert time.monotonic() < deadline and process.poll() is None, "the worker never claimed the job"
            time.sleep(0.1)
        time.sleep(lease * 2)           # beyond the first lease: the heartbeat keeps it
        assert outbox.claim(state.database, "rescuer") is None
        assert job(state, job_id).locked_by == "doomed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    killed_at = time.monotonic()
    while (taken := outbox.claim(state.database, "rescuer")) is None:
        assert time.monotonic() - killed_at < lease + 5, "the killed worker's job was not taken over"
        time.sleep(0.1)
    assert taken.id == job_id and taken.attempts == 2
    assert time.monotonic() - killed_at <= lease + 1
