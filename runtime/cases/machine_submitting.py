"""Filing an application for a resident by machine (a client-service centre's system,
VPVKAC): the answers come as JSON, are evaluated by the same engine as a resident's on
submit, and a valid set is stored as a case through `submitting.store_case`, with the
channel it came by and the resident as its applicant (so they find it under "my
applications" when they sign in).

Idempotent by the client's key: the first request with a key stores the case and the
key (unique per client) in one transaction; the same key again gives that case back,
also when two requests race (the unique key decides, the loser reads the winner's
case); the same key with other content is refused, never a second case.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Mapping

from builder.engine import Context, Outcome, evaluate
from builder.overlay import EffectiveService
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..storage.api_models import ApiIdempotencyKey
from ..storage.database import Database
from ..storage.models import Submission
from .access import Actor
from .clock import Clock
from .submitting import store_case


class ApplicationInvalid(ValueError):
    """The engine did not accept the answers: `outcome` says why (errors or a stop)."""

    def __init__(self, outcome: Outcome):
        super().__init__(f"{len(outcome.errors)} errors")
        self.outcome = outcome


class KeyReused(ValueError):
    """The idempotency key was sent before with other content."""


@dataclass(frozen=True)
class MachineApplication:
    effective: EffectiveService
    version_id: int
    answers: Mapping[str, Any]
    person: Mapping[str, str]          # personal_code, given_name, surname: the engine's `person`
    person_hash: str                   # the applicant's keyed hash, for their rows
    channel: str
    language: str


@dataclass(frozen=True)
class Filed:
    submission: Submission             # detached: read its columns
    outcome: Outcome | None            # None when the key was replayed
    replayed: bool


def request_digest(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def file_application(database: Database, application: MachineApplication, *, actor: Actor, clock: Clock,
                     client: str, key: str, digest: str) -> Filed:
    """Store the case of valid answers once per (`client`, `key`); `ApplicationInvalid`
    when the engine refuses them, `KeyReused` when the key came with other content."""
    earlier = _earlier(database, client, key, digest)
    if earlier is not None:
        return earlier
    outcome = evaluate(application.effective, application.answers,
                       Context(today=clock.today(), person=application.person, language=application.language))
    if not outcome.valid:
        raise ApplicationInvalid(outcome)
    filer = Actor(person_hash=application.person_hash, api_token_id=actor.api_token_id)
    try:
        with database.transaction() as session:
            submission = store_case(session, application.effective, application.version_id, outcome, actor=filer,
                                    clock=clock, language=application.language, channel=application.channel)
            session.add(ApiIdempotencyKey(token_institution=client, key=key, request_sha256=digest,
                                          submission_id=submission.id))
            session.flush()
            session.expunge(submission)
    except IntegrityError:      # the same key won meanwhile, in another request
        earlier = _earlier(database, client, key, digest)
        if earlier is None:
            raise
        return earlier
    return Filed(submission=submission, outcome=outcome, replayed=False)


def _earlier(database: Database, client: str, key: str, digest: str) -> Filed | None:
    with database.transaction() as session:
        found = session.execute(select(ApiIdempotencyKey.request_sha256, Submission)
                                .join(Submission, Submission.id == ApiIdempotencyKey.submission_id)
                                .where(ApiIdempotencyKey.token_institution == client,
                                       ApiIdempotencyKey.key == key)).first()
        if found is None:
            return None
        if found[0] != digest:
            raise KeyReused(key)
        session.expunge(found[1])
        return Filed(submission=found[1], outcome=None, replayed=True)
