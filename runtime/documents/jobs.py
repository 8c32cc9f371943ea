"""The outbox job `render_application_pdf` ({"submission_id": N}) and where rendered
documents live.

Idempotent: a submission has at most one `application` document (unique row); a job that
finds it already there does nothing, and two workers racing store one row (the loser
deletes its file). Files go to `<instance>/documents/<sha256[:2]>/<submission id>-<kind>-<uuid>.pdf`,
outside the web root; only `views/documents.py` serves them, after an access check.
"""
from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any, Callable

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..cases.results import APPLICATION, find_document  # noqa: F401  (downloads.py reads find_document here)
from ..config import Settings
from ..state import RuntimeState
from ..storage.models import StoredDocument, Submission, utc_now
from ..theme import coat_of_arms_file
from .application import render_application_html
from ..versions import effective_for_case

STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"
DOCUMENTS_FOLDER = "documents"


def document_path(settings: Settings, document: StoredDocument) -> Path:
    path = (settings.instance_path / document.storage_path).resolve()
    if settings.instance_path.resolve() / DOCUMENTS_FOLDER not in path.parents:
        raise FileNotFoundError("document outside the documents folder")
    return path


def still_to_render(state: RuntimeState, submission_id: int, kind: str) -> tuple[Submission, Any] | None:
    """The submission (detached) and its bound service, or None when its `kind` document
    exists already (a job run twice); a submission not committed yet is an error to retry."""
    with state.database.transaction() as session:
        if find_document(session, submission_id, kind) is not None:
            return None
        submission = session.get(Submission, submission_id)
        if submission is None:
            raise LookupError(f"submission {submission_id} does not exist (yet)")
        effective = effective_for_case(state.catalogue, session, submission.municipality_id,
                                       submission.service_version_id)
        session.expunge(submission)
    return submission, effective


def render_application_pdf(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler: render the submission's application PDF once and store it."""
    found = still_to_render(state, int(payload["submission_id"]), APPLICATION)
    if found is None:
        return
    submission, effective = found
    service = effective.service
    coat = coat_of_arms_file(effective.municipality, str(STATIC_FOLDER))
    html = render_application_html(effective=effective, service=service, submission=submission, static_coat=coat)
    from .pdf import html_to_pdf     # here, not at the top: web workers import this module and never render
    pdf = html_to_pdf(html, static_folder=STATIC_FOLDER)
    store_document(state, submission, APPLICATION, pdf)


def store_document(state: RuntimeState, submission: Submission, kind: str, data: bytes,
                   then: Callable[[Session, StoredDocument], None] | None = None) -> None:
    """Store the file and its row (one per submission and kind); `then(session, row)` runs in
    the transaction that inserts the row, and only if this call inserted it."""
    digest = hashlib.sha256(data).hexdigest()
    relative = Path(DOCUMENTS_FOLDER) / digest[:2] / f"{submission.id}-{kind}-{uuid.uuid4().hex}.pdf"
    target = state.settings.instance_path / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    insert = postgresql.insert if state.database.dialect == "postgresql" else sqlite.insert
    statement = insert(StoredDocument).values(
        submission_id=submission.id, kind=kind, locale=submission.locale, media_type="application/pdf",
        size=len(data), sha256=digest, storage_path=str(relative), created_at=utc_now(),
    ).on_conflict_do_nothing(index_elements=["submission_id", "kind"]).returning(StoredDocument.id)
    try:
        with state.database.transaction() as session:
            # RETURNING, not rowcount: psycopg reports -1 for an insert SQLAlchemy adds RETURNING to
            inserted = session.execute(statement).first()
            stored = inserted is not None
            if stored and then is not None:
                then(session, session.get(StoredDocument, inserted[0]))
    except Exception:
        target.unlink(missing_ok=True)
        raise
    if not stored:   # another worker stored this document first
        target.unlink(missing_ok=True)
