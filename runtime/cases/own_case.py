"""One case as its applicant sees it: the status and its history, what is due and what has
been paid, the notes staff marked visible to the applicant, the information requests and
the result documents. Read in one transaction, from the facts stored with the case (fees
as charged, the institution it went to), never from today's parameters.

Only an actor the policy lets see the case (`access.may_act(..., SEE)`: who applied, the
party it was filed for, the browser that sent it) gets it, and only from the site of the
municipality it was filed with (or of the municipality that took that one over); anyone
else gets `CaseNotFound`, as for a reference that does not exist. Internal notes, staff
names and the audit log never leave the staff side.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..fees import charged_fees
from ..storage.database import Database
from ..storage.models import CaseHistoryEntry, CaseNote, StoredDocument
from ..versions import UnknownServiceVersion, effective_for_case
from .access import DOWNLOAD, Actor, may_act
from .lookup import CaseNotFound, find_own_case
from .case_facts import CaseFacts, case_facts
from .payments import is_waived
from .results import APPLICATION, find_document


STEP_INPUTS = ("reason", "decision", "date")     # what `caseflow` keeps with a step, in its note


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    from_status: str | None
    to_status: str
    note: str | None          # the reason, decision or date given with the step
    by_staff: bool

    def given(self) -> list[tuple[str, str]]:
        """The note as (input, text) pairs: `caseflow` writes "reason: ..." lines, and a
        text may run over several lines; anything else is one ("", note) pair."""
        pairs: list[tuple[str, str]] = []
        for line in (self.note or "").split("\n"):
            name, _colon, rest = line.partition(": ")
            if name in STEP_INPUTS and _colon:
                pairs.append((name, rest))
            elif pairs:
                pairs[-1] = (pairs[-1][0], pairs[-1][1] + "\n" + line)
            elif line:
                pairs.append(("", line))
        return pairs


@dataclass(frozen=True)
class VisibleNote:
    at: datetime
    text: str


@dataclass(frozen=True)
class OwnCase(CaseFacts):
    history: list[HistoryLine]
    notes: list[VisibleNote]              # only those staff marked visible to the applicant


def open_own_case(database: Database, catalogue: Any, actor: Actor, municipality_id: str,
                  reference: str) -> OwnCase:
    with database.transaction() as session:
        case, service_id = find_own_case(session, catalogue, actor, municipality_id, reference)
        try:
            effective = effective_for_case(catalogue, session, case.municipality_id, case.service_version_id)
        except UnknownServiceVersion:
            raise CaseNotFound(reference) from None
        found = OwnCase(**case_facts(session, case, service_id, effective, charged_fees(case),
                                     is_waived(session, case.id)),
                        history=_history(session, case.id), notes=_visible_notes(session, case.id))
        session.expunge_all()
    return found


def _history(session: Session, submission_id: int) -> list[HistoryLine]:
    rows = session.scalars(select(CaseHistoryEntry).where(CaseHistoryEntry.submission_id == submission_id)
                           .order_by(CaseHistoryEntry.at, CaseHistoryEntry.id))
    return [HistoryLine(at=row.at, from_status=row.from_status, to_status=row.to_status, note=row.note,
                        by_staff=row.actor.startswith("staff")) for row in rows]


def _visible_notes(session: Session, submission_id: int) -> list[VisibleNote]:
    rows = session.scalars(select(CaseNote).where(CaseNote.submission_id == submission_id,
                                                  CaseNote.visible_to_applicant.is_(True))
                           .order_by(CaseNote.at, CaseNote.id))
    return [VisibleNote(at=row.at, text=row.text) for row in rows]


def own_result_document(database: Database, catalogue: Any, actor: Actor, municipality_id: str, reference: str,
                        document_id: str) -> StoredDocument:
    """A rendered result document of the actor's own case (the policy's DOWNLOAD), or `CaseNotFound`."""
    with database.transaction() as session:
        case, _service_id = find_own_case(session, catalogue, actor, municipality_id, reference)
        document = find_document(session, case.id, document_id) if document_id != APPLICATION else None
        if document is None or not may_act(actor, case, DOWNLOAD):
            raise CaseNotFound(reference)
        session.expunge(document)
    return document
