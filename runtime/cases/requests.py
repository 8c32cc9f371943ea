"""Information requests: a member of staff asks the applicant for more information or
files; the applicant answers on the case's page; the case returns to review.

The service declares it (`process.information_requests`, builder.model.InformationRequests):
from which states, by which roles, the state the case waits in, what its due date does
meanwhile (`paused`: moved on by the working days it waited; `continues`: unchanged) and
how many working days the applicant is given. Asking and answering each change the
status by the one conditional UPDATE (`caseflow.change_status`), with a history entry,
in one transaction with the request row; asking is audited like every staff action.

The answer's files go through the form's upload checks (`uploads.store_upload`: typed by
content, the site's size limit), as uploads of the case named `request:<id>`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any, Sequence

from builder.expressions.dates import working_days_add, working_days_between
from builder.model import PAUSED
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..config import Settings
from ..storage.database import Database
from ..storage.models import CaseHistoryEntry, InformationRequest, Submission, Upload
from ..uploads import UploadRejected, store_upload
from ..versions import effective_for_case
from .access import Actor, may_move
from .audit import AuditContext, record
from .caseflow import MAX_TEXT, MISSING, NOT_DECLARED, NOT_YOUR_ROLE, TOO_LONG, CaseActionRefused, change_status
from .clock import Clock
from .events import announce_status
from .lookup import find_case, find_own_case
from .notify import INFORMATION_REQUEST, notify_applicant

# What an answer may carry: the file types every shipped form accepts for evidence.
ANSWER_FILES = SimpleNamespace(accept=("application/pdf", "image/jpeg", "image/png"), max_size_mb=None,
                               document=None)
MAX_FILES = 10
NOT_OPEN = "not_open"          # the request was answered already, or is not this case's
EMPTY_ANSWER = "empty_answer"  # neither text nor a file
TOO_MANY_FILES = "too_many_files"


@dataclass(frozen=True)
class RequestView:
    id: int
    asked_at: datetime
    question: str
    wants_files: bool
    answer_by: date | None
    answered_at: datetime | None
    answer: str | None
    files: list[tuple[str, str]]       # (upload id, file name) of the answer

    @property
    def open(self) -> bool:
        return self.answered_at is None


def request_file_path(request_id: int) -> str:
    return f"request:{request_id}"


def ask_for_information(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                        municipality_id: str, reference: str, question: str, wants_files: bool) -> int:
    """The case waits for the applicant's answer; the new request's id."""
    question = (question or "").strip()
    if not question:
        raise CaseActionRefused({"question": MISSING})
    if len(question) > MAX_TEXT:
        raise CaseActionRefused({"question": TOO_LONG})
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        asking = _declared(catalogue, session, case)
        if asking is None or case.status not in asking.sources:
            raise CaseActionRefused({"action": NOT_DECLARED})
        if not may_move(actor, case, asking.by):
            raise CaseActionRefused({"action": NOT_YOUR_ROLE})
        source = case.status
        change_status(session, case, asking.waiting)
        today = clock.today()
        request = InformationRequest(
            submission_id=case.id, asked_by=actor.staff_user_id, asked_at=clock.now(), asked_on=today,
            question=question,
            wants_files=wants_files, returns_to=source,
            answer_by=working_days_add(today, asking.answer_days) if asking.answer_days else None)
        session.add(request)
        entry = CaseHistoryEntry(submission_id=case.id, from_status=source, to_status=asking.waiting,
                                 at=clock.now(), actor=actor.label())
        session.add(entry)
        announce_status(session, case, entry)
        record(session, context, "case.request", municipality_id=municipality_id, object_type="case",
               object_id=reference, request=request.id, wants_files=wants_files)
        notify_applicant(session, case, INFORMATION_REQUEST, request_id=request.id)
        return request.id


def answer_request(database: Database, catalogue: Any, settings: Settings, actor: Actor, clock: Clock,
                   municipality_id: str, reference: str, request_id: int, answer: str,
                   files: Sequence[Any] = ()) -> str:
    """The applicant's answer (text, files or both); the case returns to the state it was
    asked from, its due date moved on when the service pauses it. The new status.
    `files` are uploaded files (`filename`, `stream`); a rejected one raises
    `UploadRejected` and nothing is stored."""
    answer = (answer or "").strip()
    files = [f for f in files if getattr(f, "filename", None)]
    if len(answer) > MAX_TEXT:
        raise CaseActionRefused({"answer": TOO_LONG})
    if len(files) > MAX_FILES:
        raise CaseActionRefused({"files": TOO_MANY_FILES})
    if not answer and not files:
        raise CaseActionRefused({"answer": EMPTY_ANSWER})
    with database.transaction() as session:
        case, _service_id = find_own_case(session, catalogue, actor, municipality_id, reference)
        request = session.get(InformationRequest, request_id)
        if request is None or request.submission_id != case.id or request.answered_at is not None:
            raise CaseActionRefused({"action": NOT_OPEN})
        asking = _declared(catalogue, session, case)
        waiting = asking.waiting if asking is not None else case.status
        for file in files:
            stored = store_upload(session, draft_id=None, field=ANSWER_FILES, field_path=request_file_path(request.id),
                                  file_storage=file, settings=settings)
            session.get(Upload, uuid.UUID(stored["id"])).submission_id = case.id
        change_status(session, case, request.returns_to)
        now = clock.now()
        request.answered_at, request.answer = now, answer or None
        if asking is not None and asking.deadline == PAUSED and case.due_on is not None:
            case.due_on = working_days_add(case.due_on, max(0, working_days_between(request.asked_on, clock.today())))
        entry = CaseHistoryEntry(submission_id=case.id, from_status=waiting, to_status=request.returns_to,
                                 at=now, actor=actor.label())
        session.add(entry)
        announce_status(session, case, entry)
        return request.returns_to


def _declared(catalogue: Any, session: Session, case: Submission):
    effective = effective_for_case(catalogue, session, case.municipality_id, case.service_version_id)
    process = effective.service.process
    return process.information_requests if process is not None else None


def requests_of(session: Session, case: Submission) -> list[RequestView]:
    """The case's requests, oldest first, each with its answer's files."""
    requests = list(session.scalars(select(InformationRequest).where(InformationRequest.submission_id == case.id)
                                    .order_by(InformationRequest.asked_at, InformationRequest.id)))
    paths = [request_file_path(r.id) for r in requests]
    files: dict[str, list[tuple[str, str]]] = {}
    if paths:
        for upload in session.scalars(select(Upload).where(Upload.submission_id == case.id,
                                                           Upload.field_path.in_(paths)).order_by(Upload.created_at)):
            files.setdefault(upload.field_path, []).append((str(upload.id), upload.filename))
    return [RequestView(id=r.id, asked_at=r.asked_at, question=r.question, wants_files=r.wants_files,
                        answer_by=r.answer_by, answered_at=r.answered_at, answer=r.answer,
                        files=files.get(request_file_path(r.id), [])) for r in requests]


# Built once: "my applications" asks it on every view.
_AWAITING = select(InformationRequest.submission_id).where(
    InformationRequest.submission_id.in_(bindparam("ids", expanding=True)), InformationRequest.answered_at.is_(None))


def cases_awaiting_answer(session: Session, submission_ids: Sequence[int]) -> set[int]:
    """Those of the cases that have a request the applicant has not answered (one query)."""
    if not submission_ids:
        return set()
    return set(session.scalars(_AWAITING, {"ids": list(submission_ids)}))



def may_ask(effective: Any, actor: Actor, case: Submission) -> bool:
    """Whether the case file offers this actor the "ask for information" form."""
    process = effective.service.process
    asking = process.information_requests if process is not None else None
    return asking is not None and case.status in asking.sources and may_move(actor, case, asking.by)
