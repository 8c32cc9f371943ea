"""Filing an application for a resident by machine (a client-service centre's system,
VPVKAC): the answers come as JSON, are evaluated by the same engine as a resident's on
submit, and a valid set is stored as a case through `submitting.store_case`, with the
channel it came by and the resident as its applicant (so they find it under "my
applications" when they sign in).

Files come inline (`InlineFile`) and are stored first, with the same checks as a
resident's upload; their answers take their places; they are attached to the case in its
transaction, and removed again when no case is stored.

Idempotent by the client's key: the first request with a key stores the case and the
key (unique per client) in one transaction; the same key again gives that case back,
also when two requests race (the unique key decides, the loser reads the winner's
case); the same key with other content is refused, never a second case.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from builder.engine import Context, Outcome, evaluate
from builder.overlay import EffectiveService
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..storage.api_models import ApiIdempotencyKey
from ..storage.database import Database
from ..storage.models import Submission, Upload
from ..uploads import UploadRejected, attach_to_submission, store_upload
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
class InlineFile:
    """A file sent with the answers: stored like a resident's upload, then its answer
    takes its place (`index` in a field that takes several, None in one that takes one)."""
    field: Any
    path: str
    index: int | None
    filename: str
    data: bytes


@dataclass(frozen=True)
class _Sent:
    """What `uploads.store_upload` reads of an uploaded file."""
    stream: Any
    filename: str


class FileRefused(ValueError):
    """A sent file failed the field's checks (type, size): `path` and the upload's reason."""

    def __init__(self, path: str, rejection: UploadRejected):
        super().__init__(path)
        self.path, self.rejection = path, rejection


@dataclass(frozen=True)
class MachineApplication:
    effective: EffectiveService
    version_id: int
    answers: Mapping[str, Any]
    person: Mapping[str, str]          # personal_code, given_name, surname: the engine's `person`
    person_hash: str                   # the applicant's keyed hash, for their rows
    channel: str
    language: str
    files: tuple[InlineFile, ...] = ()   # stored, then their answers take their places


@dataclass(frozen=True)
class Filed:
    submission: Submission             # detached: read its columns
    outcome: Outcome | None            # None when the key was replayed
    replayed: bool


def request_digest(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def file_application(database: Database, settings: Any, application: MachineApplication, *, actor: Actor,
                     clock: Clock, client: str, key: str, digest: str) -> Filed:
    """Store the case of valid answers once per (`client`, `key`); `ApplicationInvalid`
    when the engine refuses them, `FileRefused` when a sent file fails its field's checks,
    `KeyReused` when the key came with other content. A request that stores no case
    leaves none of its files behind."""
    earlier = _earlier(database, client, key, digest)
    if earlier is not None:
        return earlier
    stored = _store_files(database, settings, application.files)
    try:
        filed = _file(database, application, stored, actor=actor, clock=clock, client=client, key=key, digest=digest)
    except BaseException:
        _discard(database, settings, stored)
        raise
    if filed.replayed:          # the same key won meanwhile: its case has its own files
        _discard(database, settings, stored)
    return filed


def _file(database: Database, application: MachineApplication, stored: list[tuple[InlineFile, dict]], *,
          actor: Actor, clock: Clock, client: str, key: str, digest: str) -> Filed:
    outcome = evaluate(application.effective, _with_files(application.answers, stored),
                       Context(today=clock.today(), person=application.person, language=application.language))
    if not outcome.valid:
        raise ApplicationInvalid(outcome)
    filer = Actor(person_hash=application.person_hash, api_token_id=actor.api_token_id)
    try:
        with database.transaction() as session:
            submission = store_case(session, application.effective, application.version_id, outcome, actor=filer,
                                    clock=clock, language=application.language, channel=application.channel)
            attach_to_submission(session, [uuid.UUID(answer["id"]) for _file, answer in stored], submission.id)
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


def _store_files(database: Database, settings: Any, files: tuple[InlineFile, ...]) -> list[tuple[InlineFile, dict]]:
    """Each file checked and stored (with no draft), and its answer; all or none."""
    stored: list[tuple[InlineFile, dict]] = []
    try:
        for file in files:
            with database.transaction() as session:
                answer = store_upload(session, draft_id=None, field=file.field, field_path=file.path,
                                      file_storage=_Sent(io.BytesIO(file.data), file.filename),
                                      settings=settings)
            stored.append((file, answer))
    except UploadRejected as rejection:
        _discard(database, settings, stored)
        raise FileRefused(file.path, rejection) from None
    except BaseException:
        _discard(database, settings, stored)
        raise
    return stored


def _with_files(answers: Mapping[str, Any], stored: list[tuple[InlineFile, dict]]) -> dict[str, Any]:
    result = copy.deepcopy(dict(answers))
    lists: dict[str, list[dict]] = {}
    for file, answer in stored:
        if file.index is None:
            _set(result, file.path, answer)
        else:
            lists.setdefault(file.path, []).append(answer)
    for path, answers_of_field in lists.items():
        _set(result, path, answers_of_field)
    return result


def _set(tree: dict[str, Any], path: str, value: Any) -> None:
    *groups, name = path.split(".")
    for group in groups:
        tree = tree.setdefault(group, {})
    tree[name] = value


def _discard(database: Database, settings: Any, stored: list[tuple[InlineFile, dict]]) -> None:
    """The files of a request that stored no case: rows and files go, nothing is left behind."""
    ids = [uuid.UUID(answer["id"]) for _file, answer in stored]
    if not ids:
        return
    with database.transaction() as session:
        for upload in session.scalars(select(Upload).where(Upload.id.in_(ids), Upload.submission_id.is_(None))):
            (settings.instance_path / upload.storage_path).unlink(missing_ok=True)
            session.delete(upload)


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
