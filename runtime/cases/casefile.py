"""The case file a member of staff opens: everything about one case, read in one
transaction, and the view written to the audit log in the same one.

Only a member of staff whose role covers the case (`access.may_see`) gets it; anyone
else gets `CaseNotFound`, as for a reference that does not exist.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from builder.engine import Context, Outcome, evaluate
from builder.model import Transition
from builder.overlay import EffectiveService
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fees import charged_fees
from ..queue import QueuePosition, positions
from ..storage.database import Database
from ..storage.models import (CaseHistoryEntry, CaseNote, ServiceVersion, StaffUser, StoredDocument, Submission,
                              Upload)
from ..versions import effective_for_case
from .access import Actor, may_move, may_see
from .applicants import Applicant, applicant_of
from .case_facts import CaseFacts, case_facts
from .audit import AuditContext, record
from .clock import Clock, latvian_date
from .inbox import final_states, marker
from .lookup import CaseNotFound, find_case
from .assessments import may_assess
from .payments import payment_lines
from .requests import may_ask
from .results import APPLICATION, find_document
from .waivers import may_waive, waiver_of
from .staff_accounts import StaffMember, colleagues


@dataclass(frozen=True)
class Note:
    author: str
    at: Any
    text: str
    visible_to_applicant: bool


@dataclass(frozen=True)
class CaseFile(CaseFacts):
    outcome: Outcome                      # the answers evaluated as on the submission day
    applicant: Applicant
    uploads: list[Upload]
    queue: list[QueuePosition]
    history: list[CaseHistoryEntry]
    notes: list[Note]                     # internal ones too
    assigned_to: str | None
    colleagues: list[StaffMember]
    transitions: list[Transition]        # the declared steps from here this actor may make
    is_open: bool
    marker: str | None
    payments: list[Any] = field(default_factory=list)
    waiver: Any = None                   # the `FeeWaiver`, if the fee was waived
    may_waive: bool = False
    may_ask: bool = False                # may this actor ask the applicant for information now
    filed_by: str | None = None          # the client-service-centre clerk who filed it in person
    may_assess: bool = False             # may this actor set the amounts still to assess (`fees.to_assess`)


def allowed_transitions(effective: EffectiveService, actor: Actor, case: Submission) -> list[Transition]:
    process = effective.service.process
    if process is None:
        return []
    return [t for t in process.transitions_from(case.status) if may_move(actor, case, t.by)]


def open_case_file(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
                   municipality_id: str, reference: str, language: str) -> CaseFile:
    with database.transaction() as session:
        case, service_id = find_case(session, actor, municipality_id, reference)
        effective = effective_for_case(catalogue, session, municipality_id, case.service_version_id)
        outcome = evaluate(effective, case.answers or {},
                           Context(today=latvian_date(case.submitted_at), language=language))
        is_open = case.status not in final_states(catalogue).get(service_id, frozenset())
        record(session, context, "case.view", municipality_id=municipality_id, object_type="case",
               object_id=reference)
        waiver = waiver_of(session, case)
        found = CaseFile(
            **case_facts(session, case, service_id, effective, charged_fees(case, outcome), waiver is not None),
            outcome=outcome, applicant=applicant_of(case.answers),
            uploads=list(session.scalars(select(Upload).where(Upload.submission_id == case.id).order_by(Upload.id))),
            queue=positions(session, service_id, municipality_id, case, catalogue=catalogue),
            history=list(session.scalars(select(CaseHistoryEntry).where(CaseHistoryEntry.submission_id == case.id)
                                         .order_by(CaseHistoryEntry.at, CaseHistoryEntry.id))),
            notes=_notes(session, case.id), assigned_to=_name_of(session, case.assigned_to_id),
            filed_by=_name_of(session, case.filed_by_id),
            colleagues=[], transitions=allowed_transitions(effective, actor, case) if is_open else [],
            is_open=is_open, marker=marker(case.due_on, is_open, clock.today()),
            payments=payment_lines(session, case), may_ask=is_open and may_ask(effective, actor, case),
            waiver=waiver, may_waive=is_open and may_waive(session, actor, case),
            may_assess=is_open and may_assess(effective, actor, case))
        session.expunge_all()
    return replace(found, colleagues=colleagues(database, municipality_id, found.case.institution_id))


def _notes(session: Session, submission_id: int) -> list[Note]:
    rows = session.execute(select(CaseNote, StaffUser.name).join(StaffUser, CaseNote.author_id == StaffUser.id)
                           .where(CaseNote.submission_id == submission_id).order_by(CaseNote.at, CaseNote.id))
    return [Note(author=name, at=note.at, text=note.text, visible_to_applicant=note.visible_to_applicant)
            for note, name in rows]


def _name_of(session: Session, user_id: int | None) -> str | None:
    return session.scalar(select(StaffUser.name).where(StaffUser.id == user_id)) if user_id else None


def history_actor_names(database: Database, history: list[CaseHistoryEntry]) -> dict[str, str]:
    """`staff:<id>` labels in a history -> the member's name."""
    ids = {int(entry.actor.split(":", 1)[1]) for entry in history
           if entry.actor.startswith("staff:") and entry.actor.split(":", 1)[1].isdigit()}
    if not ids:
        return {}
    with database.transaction() as session:
        return {f"staff:{uid}": name for uid, name in session.execute(
            select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(sorted(ids))))}


def case_attachment(database: Database, actor: Actor, context: AuditContext, municipality_id: str,
                    reference: str, upload_id: Any) -> Upload:
    """An attachment of a case the actor may see (the download is audited), or `CaseNotFound`."""
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        upload = session.get(Upload, upload_id)
        if upload is None or upload.submission_id != case.id:
            raise CaseNotFound(reference)
        record(session, context, "case.file", municipality_id=municipality_id, object_type="case",
               object_id=reference, upload=str(upload_id))
        session.expunge(upload)
    return upload


def case_document(database: Database, actor: Actor, context: AuditContext, municipality_id: str, reference: str,
                  document_id: str) -> StoredDocument:
    """A rendered result document of a case the actor may see (audited), or `CaseNotFound`."""
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        document = find_document(session, case.id, document_id) if document_id != APPLICATION else None
        if document is None:
            raise CaseNotFound(reference)
        record(session, context, "case.document", municipality_id=municipality_id, object_type="case",
               object_id=reference, document=document_id)
        session.expunge(document)
    return document
