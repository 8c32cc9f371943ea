"""Turning a draft into a submission, in one transaction: the draft is consumed (deleted:
it can be submitted only once, however often the button is pressed), the case reference
is drawn, the submission is stored with the fees as charged, its uploads are attached,
its queue entries are written (for a service that keeps a queue) and the PDF job is
queued in the outbox. Either all of it happens or none of it does. The browser then
remembers the reference (`identity.remember_submission`), so that it may see the
confirmation and the PDF without a sign-in."""
from __future__ import annotations

from builder.engine import Outcome, to_json

from .. import identity
from ..fees import fees_to_json
from ..i18n import current_language
from ..outbox import enqueue
from ..queue import record_queue_entries
from ..state import runtime_state
from ..storage.models import Submission, utc_now
from ..storage.references import next_case_reference
from ..uploads import attach_to_submission, files_of_draft, uploaded_file_ids
from .application import Application, today
from .drafts import consume_draft

DEFAULT_INITIAL_STATE = "submitted"
PDF_JOB = "render_application_pdf"


def submit(app: Application, outcome: Outcome) -> str | None:
    """The new case reference, or None when the draft was already submitted."""
    service, municipality = app.service, app.municipality
    with runtime_state().database.transaction() as session:
        files = files_of_draft(session, app.draft_id, uploaded_file_ids(outcome.values))
        if not consume_draft(session, app.draft_id):
            return None
        reference = next_case_reference(session, municipality.id, municipality.reference_code, service.code,
                                        today().year)
        submission = Submission(
            reference=reference, municipality_id=municipality.id, service_version_id=app.version_id,
            answers=to_json(outcome.values), fee_total=outcome.fees.total, fees=fees_to_json(outcome.fees),
            status=service.process.initial if service.process else DEFAULT_INITIAL_STATE,
            locale=current_language(), person_code_hash=identity.current_person_hash(), submitted_at=utc_now(),
        )
        session.add(submission)
        session.flush()
        attach_to_submission(session, files, submission.id)
        record_queue_entries(session, app.effective, submission, outcome)
        enqueue(session, PDF_JOB, {"submission_id": submission.id})
    identity.remember_submission(reference)
    return reference
