"""Three real `pkip worker` processes race on one PostgreSQL database for PSPP status
events, against a stand-in that fails 30 % of requests (503, connections dropped before
and after applying, answers slower than the worker waits); one worker is SIGKILLed while
its request is at the stand-in (applied there, the answer not yet back). Afterwards every
event is applied exactly once (the stand-in counts by idempotency key), none is lost, each
case's events arrive in order, and no job is a dead letter. Bounded: the workers' start-up
(at most 90 s), then at most 60 s for the delivery.

The test moves the clock as `test_delivery_faults.drain` does, by making a released
job's retry due now instead of 30 s and more from now. It never touches a job a live
worker holds; the killed worker's lease (`outbox.LEASE`, 20 s) is made to have run out
once the process is gone, as it would 20 s later: another worker then claims the job by
the same rule that takes a lapsed lease (`outbox._due`), with no 20 s of waiting."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from publishers.pspp_standin import PsppStandIn
from publishers.standin import Faults
from runtime.storage.database import Database
from runtime.storage.migrate import upgrade
from runtime.storage.models import OutboxJob, utc_now
from tests.standins import served  # noqa: F401  (a fixture)

from ..conftest import postgres_database
from .test_delivery_faults import EVENTS, assert_delivered_once_in_order, write_events

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
PKIP = Path(sys.executable).parent / "pkip"
WORKERS, CASES = 3, 12
TIMEOUT_SECONDS = 3.0          # the worker's wait for PSPP's answer
START_SECONDS = 90             # three interpreters starting on a busy machine
DELIVERY_SECONDS = 60          # from the events written to the last delivered


class HoldingPspp(PsppStandIn):
    """PSPP that keeps the answer to the first event it applies until released, so the
    worker sending it can be killed while it waits."""

    def __init__(self, **options):
        super().__init__(**options)
        self.holding, self.released = threading.Event(), threading.Event()
        self.held_key: str | None = None

    def handle(self, request):
        response = super().handle(request)
        with self.lock:
            hold = response.status_code == 201 and self.held_key is None
            if hold:
                self.held_key = request.headers["Idempotency-Key"]
        if hold:
            self.holding.set()
            self.released.wait(TIMEOUT_SECONDS * 3)
        return response


@pytest.fixture
def database():
    with postgres_database() as url:
        db = Database(url)
        upgrade(db.engine)
        yield db
        db.dispose()


def worker_environment(database_url: str, pspp_url: str, instance: Path) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PKIP_")}
    definitions = instance / "definitions"       # the PSPP handler needs no service definitions
    definitions.mkdir(parents=True)
    env.update(PKIP_ENV="production", PKIP_DATABASE_URL=database_url, PKIP_INSTANCE_PATH=str(instance),
               PKIP_SECRET_KEY="worker-race-" + "k" * 40, PKIP_DEFINITIONS_PATH=str(definitions),
               PKIP_PSPP_URL=pspp_url, PKIP_PSPP_TIMEOUT_SECONDS=str(TIMEOUT_SECONDS),
               PKIP_PSPP_MAX_ATTEMPTS="50")
    return env


def start_workers(env: dict[str, str], logs: Path) -> list[subprocess.Popen]:
    return [subprocess.Popen([str(PKIP), "worker"], env=env, cwd=ROOT, stderr=subprocess.STDOUT,
                             stdout=open(logs / f"worker-{number}.log", "wb")) for number in range(WORKERS)]


def wait_until_started(processes: list[subprocess.Popen], logs: Path, deadline: float) -> None:
    while True:
        started = sum("outbox worker" in (logs / f"worker-{n}.log").read_text(errors="replace")
                      for n in range(len(processes)))
        if started == len(processes):
            return
        assert all(process.poll() is None for process in processes), "a worker exited at start-up"
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.2)


def make_retries_due(database: Database) -> None:
    """The clock moved past every backoff: released jobs waiting for a retry are due now."""
    with database.transaction() as session:
        session.execute(update(OutboxJob).where(OutboxJob.done_at.is_(None), OutboxJob.dead_at.is_(None),
                                                OutboxJob.locked_by.is_(None), OutboxJob.run_after > func.now())
                        .values(run_after=func.now()).execution_options(synchronize_session=False))


def holders(database: Database) -> dict[str, str]:
    """idempotency key -> the worker holding that job now."""
    with database.transaction() as session:
        return dict(session.execute(select(OutboxJob.idempotency_key, OutboxJob.locked_by)
                                    .where(OutboxJob.locked_by.is_not(None))).all())


def waiting(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(OutboxJob).where(OutboxJob.done_at.is_(None)))


def kill_the_sender(standin: HoldingPspp, database: Database, processes, seen: set[str]) -> str:
    """SIGKILL the worker whose request the stand-in holds; its worker id."""
    assert standin.holding.wait(60), "no event reached the stand-in"
    sender = holders(database)[standin.held_key]
    seen.add(sender)
    victim = next(p for p in processes if f":{p.pid}:" in sender)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert holders(database).get(standin.held_key) == sender, "the worker had given up before it was killed"
    standin.released.set()
    lease_ran_out(database, sender)
    return sender


def lease_ran_out(database: Database, worker_id: str) -> None:
    """The clock moved past the lease of a worker that is dead: its job is still its own
    (`locked_by`), but the lease ended a moment ago."""
    with database.transaction() as session:
        lapsed = session.execute(update(OutboxJob).where(OutboxJob.locked_by == worker_id)
                                 .values(locked_until=utc_now() - timedelta(seconds=1))
                                 .execution_options(synchronize_session=False)).rowcount
    assert lapsed == 1, f"the killed worker held {lapsed} jobs, not the one at the stand-in"


def test_three_worker_processes_deliver_every_event_once_in_order(database, served, tmp_path):
    started = time.monotonic()
    standin = HoldingPspp(faults=Faults(rate=0.3, seed=20261201, slow_seconds=TIMEOUT_SECONDS + 0.5))
    url = served(standin)
    env = worker_environment(database.engine.url.render_as_string(hide_password=False), url, tmp_path / "instance")
    processes = start_workers(env, tmp_path)
    try:
        wait_until_started(processes, tmp_path, started + START_SECONDS)
        written = time.monotonic()
        publishers = {"pspp": {"url": url, "token": None, "timeout_seconds": TIMEOUT_SECONDS, "max_attempts": 50}}
        write_events(SimpleNamespace(database=database, settings=SimpleNamespace(publishers=publishers)),
                     cases=CASES)
        seen: set[str] = set()
        killed = kill_the_sender(standin, database, processes, seen)
        while waiting(database):
            assert time.monotonic() - written < DELIVERY_SECONDS, f"{waiting(database)} events not delivered"
            seen.update(holders(database).values())
            make_retries_due(database)
            time.sleep(0.1)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            process.wait(timeout=30)
    assert_delivered_once_in_order(standin, range(CASES), events=EVENTS)
    outcomes = [entry.outcome for entry in standin.received]
    assert outcomes.count("duplicate") >= 1, "the killed worker's event was sent again and applied once"
    assert sum(outcome.startswith("fault") for outcome in outcomes) >= 8, "about 30 % of requests should fail"
    assert len(seen - {killed}) >= 1 and len(seen) >= 2, f"the workers did not share the work: {seen}"
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxJob).where(OutboxJob.dead_at.is_not(None))) == 0
        retried = session.scalar(select(OutboxJob.attempts).where(OutboxJob.idempotency_key == standin.held_key))
        assert retried >= 2
