"""A case's result documents, as the use cases see them: which document a state promises,
the outbox job that renders it (written in the transaction that moves the case), and what
has been rendered. The rendering itself is `runtime.documents.results` (in the worker)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..outbox import enqueue
from ..storage.models import StoredDocument, Submission

APPLICATION = "application"                 # the application PDF's kind; result documents use their id
RENDER_RESULT = "render_result_document"
RESULT_READY = "result_document_ready"


@dataclass(frozen=True)
class ResultDocument:
    """A case's result document as its pages list it."""
    id: str
    title: Any                  # the document's title (a text)
    ready: bool                 # rendered; else it is being prepared


def find_document(session: Session, submission_id: int, kind: str = APPLICATION) -> StoredDocument | None:
    return session.scalars(select(StoredDocument).where(
        StoredDocument.submission_id == submission_id, StoredDocument.kind == kind)).first()


def result_of_state(service: Any, state_id: str) -> str | None:
    """The document a case gets on reaching `state_id`, if the service declares one."""
    process = service.process
    state = process.states.get(state_id) if process is not None else None
    return state.result if state is not None and state.result in service.documents else None


def enqueue_result(session: Session, case: Submission, document: str, *, decision: str | None,
                   decided_on: date) -> None:
    """Call in the transaction that moves the case into a state with a result."""
    enqueue(session, RENDER_RESULT, {"submission_id": case.id, "document": document, "decision": decision or "",
                                     "decided_on": decided_on.isoformat()})


def result_documents(session: Session, service: Any, case: Submission) -> list[ResultDocument]:
    """The case's rendered result documents, and the one its status promises if not yet there."""
    stored = {row.kind for row in session.scalars(select(StoredDocument).where(
        StoredDocument.submission_id == case.id, StoredDocument.kind != APPLICATION))}
    promised = result_of_state(service, case.status)
    kinds = sorted(stored | ({promised} if promised else set()))
    return [ResultDocument(kind, service.documents[kind].title if kind in service.documents else kind,
                           kind in stored) for kind in kinds]
