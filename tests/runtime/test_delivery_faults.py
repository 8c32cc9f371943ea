"""Delivery under faults, against the PSPP stand-in over real HTTP: it fails 30 % of
requests (503, connections dropped before and after applying, answers slower than the
client waits), a worker is killed with SIGKILL mid-send, two workers race (on SQLite
and PostgreSQL). After each run every message is applied exactly once (the stand-in
counts), none is lost, each case's events arrive in order, and dead letters appear only
where the stand-in refused for good."""
from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import create_app
from publishers.pspp_standin import PsppStandIn
from publishers.standin import Faults
from runtime import outbox
from runtime.publishing import publish
from runtime.storage.models import OutboxJob, utc_now
from runtime.worker import new_worker_id, run_pending
from tests.standins import pspp_event, served  # noqa: F401  (a fixture)

from .fakes import sample_catalogue
from .support_documents import ROOT

CASES, EVENTS = 8, 4


def make_app(app_config, url, **settings):
    app_config.update(pspp_url=url, pspp_timeout_seconds=0.5, pspp_max_attempts=50, **settings)
    return create_app(app_config, catalogue=sample_catalogue())


@pytest.fixture
def faulty(served):
    standin = PsppStandIn(faults=Faults(rate=0.3, seed=20261201, slow_seconds=1.0))
    return standin, served(standin)


def write_events(state, cases=CASES, events=EVENTS, bad_channel_in=()):
    """`events` status events for each of `cases` cases; in the cases named in
    `bad_channel_in` the second event has a channel PSPP does not know (refused for good)."""
    with state.database.transaction() as session:
        for case in range(cases):
            case_id = f"RIG-DOG-2026-{case}"
            for sequence in range(1, events + 1):
                channel = "carrier pigeon" if case in bad_channel_in and sequence == 2 else "e-service"
                publish(session, state.settings.publishers, "pspp",
                        pspp_event(case_id, sequence, "in_review" if sequence > 1 else "submitted", channel),
                        key=f"pspp:{case_id}:{sequence}", ordering=case_id, municipality_id="riga")


def drain(state, workers=1, rounds=60):
    """Run `workers` workers side by side until nothing is due, moving the clock past
    every backoff between rounds."""
    now = utc_now()
    for _ in range(rounds):
        reports = []
        threads = [threading.Thread(target=lambda: reports.append(run_pending(state, now=now,
                                                                               worker_id=new_worker_id())))
                   for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        if not any(report.done or report.failed for report in reports):
            return
        now += timedelta(hours=7)
    raise AssertionError("the outbox did not drain")


def assert_delivered_once_in_order(standin, cases, events=EVENTS, also_applied=0):
    for case in cases:
        sequences = [event["sequence"] for event in standin.cases[f"RIG-DOG-2026-{case}"]]
        assert sequences == list(range(1, events + 1)), (case, sequences)
    assert standin.out_of_order == 0
    # applied once each: none twice, none lost
    assert len(standin.applied) == len(cases) * events + also_applied


def jobs(state, *conditions):
    with state.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(OutboxJob).where(*conditions))


def test_thirty_percent_failures_deliver_every_message_once_in_order(app_config, faulty):
    standin, url = faulty
    app = make_app(app_config, url)
    state = app.extensions["pkip"]
    write_events(state)
    drain(state)
    assert_delivered_once_in_order(standin, range(CASES))
    faults = [entry.outcome for entry in standin.received if entry.outcome.startswith("fault")]
    assert len(faults) >= 5, "the stand-in should have failed about 30 % of the requests"
    assert jobs(state, OutboxJob.dead_at.is_not(None)) == 0 and jobs(state, OutboxJob.done_at.is_(None)) == 0
    app.extensions["pkip"].database.dispose()


def test_dead_letters_only_where_the_receiver_refused_for_good(app_config, faulty):
    standin, url = faulty
    app = make_app(app_config, url)
    state = app.extensions["pkip"]
    write_events(state, bad_channel_in=(2, 5))
    drain(state)
    # the refused cases' first events went too
    assert_delivered_once_in_order(standin, [c for c in range(CASES) if c not in (2, 5)], also_applied=2)
    with state.database.transaction() as session:
        dead = session.scalars(select(OutboxJob.idempotency_key).where(OutboxJob.dead_at.is_not(None))).all()
        waiting = session.scalars(select(OutboxJob.idempotency_key).where(
            OutboxJob.done_at.is_(None), OutboxJob.dead_at.is_(None))).all()
    assert sorted(dead) == ["pspp:RIG-DOG-2026-2:2", "pspp:RIG-DOG-2026-5:2"]
    # what follows a dead letter in its case waits for an admin, not lost and not out of order
    assert sorted(waiting) == [f"pspp:RIG-DOG-2026-{c}:{n}" for c in (2, 5) for n in (3, 4)]
    assert [e["sequence"] for e in standin.cases["RIG-DOG-2026-2"]] == [1]
    app.extensions["pkip"].database.dispose()


def test_two_workers_racing_deliver_every_message_once_in_order(app_config, faulty):
    standin, url = faulty
    app = make_app(app_config, url)
    state = app.extensions["pkip"]
    write_events(state, cases=12)
    drain(state, workers=2)
    assert_delivered_once_in_order(standin, range(12))
    app.extensions["pkip"].database.dispose()


KILLED_SENDER = """
import sys
from datetime import timedelta
from types import SimpleNamespace
from runtime import outbox, worker
from runtime.publishing import handlers
from runtime.storage.database import Database

outbox.LEASE, outbox.HEARTBEAT = timedelta(seconds=1.5), timedelta(seconds=0.2)
publishers = {"pspp": {"url": sys.argv[2], "token": None, "timeout_seconds": 60.0, "max_attempts": 50}}
state = SimpleNamespace(database=Database(sys.argv[1]), settings=SimpleNamespace(publishers=publishers))
worker.run_pending(state, handlers=handlers(), worker_id="doomed")
"""


def test_a_worker_killed_mid_send_leaves_the_message_applied_once(app_config, served, tmp_path):
    standin = PsppStandIn(faults=Faults(rate=1.0, kinds=("slow",), slow_seconds=20))
    url = served(standin)
    app = make_app(app_config, url)
    state = app.extensions["pkip"]
    write_events(state, cases=1, events=1)
    script = tmp_path / "killed_sender.py"
    script.write_text(KILLED_SENDER)
    process = subprocess.Popen([sys.executable, str(script), app_config["database_url"], url], cwd=str(ROOT))
    try:
        deadline = time.monotonic() + 60
        while not standin.applied:          # the event is applied; the answer is still on its way
            assert time.monotonic() < deadline and process.poll() is None, "the worker never sent"
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    standin.faults.rate = 0.0
    killed_at = time.monotonic()
    while not run_pending(state).done:      # taken over once the killed worker's lease runs out
        assert time.monotonic() - killed_at < 30, "the killed worker's message was not taken over"
        time.sleep(0.2)
    assert len(standin.applied) == 1 and [e.outcome for e in standin.received].count("duplicate") == 1
    assert jobs(state, OutboxJob.done_at.is_(None)) == 0
    app.extensions["pkip"].database.dispose()
