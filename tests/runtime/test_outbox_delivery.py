"""The outbox's guarantees for messages to the outside world: one row per idempotency
key, order per ordering key (a case), dead letters after the last attempt or at once on a
permanent refusal, and an earlier dead letter holding back its case's later messages."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from publishers.contract import PermanentRefusal
from runtime import outbox
from runtime.storage.models import OutboxJob, utc_now
from runtime.worker import run_pending


@pytest.fixture
def state(app):
    return app.extensions["pkip"]


def write(state, key, ordering=None, max_attempts=None, n=0):
    with state.database.transaction() as session:
        return outbox.enqueue_once(session, "message", {"n": n}, idempotency_key=key, ordering_key=ordering,
                                   municipality_id="riga", max_attempts=max_attempts)


def row(state, job_id) -> OutboxJob:
    with state.database.transaction() as session:
        return session.get(OutboxJob, job_id)


def test_a_message_is_written_once_per_idempotency_key(state):
    first = write(state, "pspp:RIG-1:1")
    assert first is not None and write(state, "pspp:RIG-1:1") is None
    with state.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 1


def test_messages_of_one_case_leave_in_the_order_written_while_others_pass(state):
    ids = [write(state, f"k{n}", ordering="case:A", n=n) for n in range(3)]
    other = write(state, "other", ordering="case:B", n=9)
    seen, fail_first = [], {"left": 2}

    def send(_state, payload):
        if payload["n"] == 0 and fail_first["left"]:
            fail_first["left"] -= 1
            raise ConnectionError("down")
        seen.append(payload["n"])

    now = utc_now()
    report = run_pending(state, handlers={"message": send}, now=now)
    # the first of case A failed; its followers wait, case B goes
    assert report.failed == [ids[0]] and report.done == [other] and seen == [9]
    later = now + timedelta(minutes=5)
    run_pending(state, handlers={"message": send}, now=later)
    run_pending(state, handlers={"message": send}, now=later + timedelta(minutes=5))
    assert seen == [9, 0, 1, 2]


def test_the_last_attempt_makes_a_dead_letter_that_holds_back_its_case(state):
    dead = write(state, "k0", ordering="case:A", max_attempts=2)
    follower = write(state, "k1", ordering="case:A")

    def down(_state, payload):
        if payload["n"] == 0:
            raise ConnectionError("still down")

    now = utc_now()
    run_pending(state, handlers={"message": down}, now=now)
    assert row(state, dead).dead_at is None                     # one attempt left
    run_pending(state, handlers={"message": down}, now=now + timedelta(minutes=2))
    parked = row(state, dead)
    assert parked.dead_at is not None and parked.attempts == 2 and "still down" in parked.last_error
    assert run_pending(state, handlers={"message": down}, now=now + timedelta(days=2)).done == []
    assert row(state, follower).done_at is None


def test_a_permanent_refusal_is_a_dead_letter_at_the_first_attempt(state):
    job_id = write(state, "k0", max_attempts=10)

    def refuse(_state, _payload):
        raise PermanentRefusal("unknown addressee")

    assert run_pending(state, handlers={"message": refuse}).failed == [job_id]
    parked = row(state, job_id)
    assert parked.dead_at is not None and parked.attempts == 1 and parked.last_error == "refused: unknown addressee"
