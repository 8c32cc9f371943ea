"""Turning a draft into a submission, in one transaction: the draft is consumed (deleted:
it can be submitted only once, however often the button is pressed), the case reference
is drawn, the submission is stored with the fees as charged, its uploads are attached,
its queue entries are written (for a service that keeps a queue) and the PDF job is
queued in the outbox. Either all of it happens or none of it does.

The caller (the web view) then tells the browser which reference it sent, so that it may
see the confirmation and the PDF without a sign-in."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from builder.engine import Outcome, to_json
from builder.overlay import EffectiveService

from ..fees import fees_to_json
from ..outbox import enqueue
from ..queue import record_queue_entries
from ..storage.database import Database
from ..storage.models import Submission
from ..storage.references import next_case_reference
from ..uploads import attach_to_submission, files_of_draft, uploaded_file_ids
from .access import Actor
from .clock import Clock
from .drafts import consume_draft

DEFAULT_INITIAL_STATE = "submitted"
PDF_JOB = "render_application_pdf"


@dataclass(frozen=True)
class DraftToSubmit:
    """The draft being submitted and the service version it was filled against."""
    draft_id: uuid.UUID
    version_id: int
    effective: EffectiveService


def submit(database: Database, draft: DraftToSubmit, outcome: Outcome, *, actor: Actor, clock: Clock,
           language: str) -> str | None:
    """The new case reference, or None when the draft was already submitted. `outcome` is
    the engine's evaluation that accepted the answers (valid, with its fees)."""
    service, municipality = draft.effective.service, draft.effective.municipality
    with database.transaction() as session:
        files = files_of_draft(session, draft.draft_id, uploaded_file_ids(outcome.values))
        if not consume_draft(session, draft.draft_id):
            return None
        reference = next_case_reference(session, municipality.id, municipality.reference_code, service.code,
                                        clock.today().year)
        submission = Submission(
            reference=reference, municipality_id=municipality.id, service_version_id=draft.version_id,
            answers=to_json(outcome.values), fee_total=outcome.fees.total, fees=fees_to_json(outcome.fees),
            status=service.process.initial if service.process else DEFAULT_INITIAL_STATE,
            locale=language, person_code_hash=actor.person_hash, submitted_at=clock.now(),
        )
        session.add(submission)
        session.flush()
        attach_to_submission(session, files, submission.id)
        record_queue_entries(session, draft.effective, submission, outcome)
        enqueue(session, PDF_JOB, {"submission_id": submission.id})
    return reference
