"""Turning a draft into a submission, in one transaction: the draft is consumed (deleted:
it can be submitted only once, however often the button is pressed), the case reference
is drawn, the submission and its uploads are stored, and the PDF job is queued in the
outbox. Either all of it happens or none of it does."""
from __future__ import annotations

import uuid
from typing import Any, Iterator

from builder.engine import Outcome, to_json
from sqlalchemy import update

from .. import identity
from ..i18n import current_language
from ..outbox import enqueue
from ..state import runtime_state
from ..storage.models import Submission, Upload
from ..storage.references import next_case_reference
from .application import Application, today
from .drafts import consume_draft

DEFAULT_INITIAL_STATE = "submitted"
PDF_JOB = "render_application_pdf"


def submit(app: Application, outcome: Outcome) -> str | None:
    """The new case reference, or None when the draft was already submitted."""
    service, municipality = app.service, app.municipality
    with runtime_state().database.transaction() as session:
        if not consume_draft(session, app.draft_id):
            return None
        reference = next_case_reference(session, municipality.id, municipality.reference_code, service.code,
                                        today().year)
        submission = Submission(
            reference=reference, municipality_id=municipality.id, service_version_id=app.version_id,
            answers=to_json(outcome.values), fee_total=outcome.fees.total,
            status=service.process.initial if service.process else DEFAULT_INITIAL_STATE,
            locale=current_language(), person_code_hash=identity.current_person_hash(),
        )
        session.add(submission)
        session.flush()
        file_ids = list(uploaded_file_ids(outcome.values))
        if file_ids:
            session.execute(update(Upload).where(Upload.id.in_(file_ids))
                            .values(submission_id=submission.id).execution_options(synchronize_session=False))
        enqueue(session, PDF_JOB, {"submission_id": submission.id})
    return reference


def uploaded_file_ids(value: Any) -> Iterator[uuid.UUID]:
    """The ids of the stored files an answer tree refers to."""
    if isinstance(value, dict):
        if "media_type" in value and "id" in value:
            try:
                yield uuid.UUID(str(value["id"]))
            except ValueError:
                pass
            return
        for item in value.values():
            yield from uploaded_file_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from uploaded_file_ids(item)
