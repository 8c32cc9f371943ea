"""Turning a draft into a submission, in one transaction: the draft is consumed (deleted:
it can be submitted only once, however often the button is pressed), the case reference
is drawn, the submission is stored with what was decided (`case_facts`: the fees as
charged, the route and why, the receiving institution as it was, the channel, the
language, the deadline and due date) and its first history entry, its uploads are
attached, the institution's webhooks are announced (`cases.webhooks`), its queue entries are written (for a service that keeps a queue) and the PDF job
is queued in the outbox. Either all of it happens or none of it does.

The caller (the web view) then tells the browser which reference it sent, so that it may
see the confirmation and the PDF without a sign-in."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, make_transient_to_detached

from builder.engine import Outcome, to_json
from builder.expressions.dates import working_days_add
from builder.model import Institution
from builder.overlay import EffectiveService

from ..fees import fees_to_json
from ..outbox import enqueue_all_now
from .events import announce_status
from ..queue import record_queue_entries
from ..storage.database import Database
from ..storage.models import CHANNEL_E_SERVICE, CHANNEL_IN_PERSON, FACTS_AT_SUBMISSION, CaseHistoryEntry, Submission
from ..storage.references import next_case_reference
from ..uploads import attach_to_submission, files_of_draft, uploaded_file_ids
from .access import Actor
from .clock import Clock
from .drafts import consume_draft
from .invoices import announce_invoices
from .notify import SUBMITTED, applicant_email
from .webhooks import CASE_CREATED, announce

DEFAULT_INITIAL_STATE = "submitted"
PDF_JOB = "render_application_pdf"


@dataclass(frozen=True)
class DraftToSubmit:
    """The draft being submitted and the service version it was filled against."""
    draft_id: uuid.UUID
    version_id: int
    effective: EffectiveService


def submit(database: Database, draft: DraftToSubmit, outcome: Outcome, *, actor: Actor, clock: Clock,
           language: str, channel: str = CHANNEL_E_SERVICE) -> str | None:
    """The new case reference, or None when the draft was already submitted. `outcome` is
    the engine's evaluation that accepted the answers (valid, with its fees). A case filed
    in person (`cases.assisted`) has the person as `actor.person_hash` and the clerk as
    `actor.staff_user_id`, who is kept as its `filed_by_id`."""
    with database.transaction() as session:
        files = files_of_draft(session, draft.draft_id, uploaded_file_ids(outcome.values))
        if not consume_draft(session, draft.draft_id):
            return None
        submission = store_case(session, draft.effective, draft.version_id, outcome, actor=actor, clock=clock,
                                language=language, channel=channel)
        attach_to_submission(session, files, submission.id)
    return submission.reference


def store_case(session: Session, effective: EffectiveService, version_id: int, outcome: Outcome, *, actor: Actor,
               clock: Clock, language: str, channel: str) -> Submission:
    """The case of valid answers, in the caller's transaction: its reference, what was
    decided, its first history entry, queue entries and the PDF job. Whoever files it
    (a resident's browser, a client-service centre's system) stores it through here."""
    service, municipality = effective.service, effective.municipality
    reference = next_case_reference(session, municipality.id, municipality.reference_code, service.code,
                                    clock.today().year)
    submission = _insert_case(session, {
        "reference": reference, "municipality_id": municipality.id, "service_version_id": version_id,
        "answers": to_json(outcome.values), "status": initial_status(service), "locale": language,
        "person_code_hash": actor.person_hash, "submitted_at": clock.now(), "channel": channel,
        "subject_kind": actor.acting_for.kind if actor.acting_for else None,
        "subject_hash": actor.acting_for.hash if actor.acting_for else None,
        "filed_by_id": actor.staff_user_id if channel == CHANNEL_IN_PERSON else None,
        "facts_from": FACTS_AT_SUBMISSION, "assigned_to_id": None,
        **case_facts(outcome, clock.today()),
    })
    first = _insert_history(session, {"submission_id": submission.id, "from_status": None,
                                      "to_status": submission.status, "at": submission.submitted_at,
                                      "actor": actor.label(), "note": None})
    announce_status(session, submission, first)
    record_queue_entries(session, effective, submission, outcome)
    # the PDF and the "received" e-mail in one executemany: one round trip, not two
    enqueue_all_now(session, [(PDF_JOB, {"submission_id": submission.id}), applicant_email(submission, SUBMITTED)])
    announce(session, submission, service.id, CASE_CREATED, submission.submitted_at)
    announce_invoices(session, submission, effective)
    return submission


# Built once: the case and its first history entry are written by prebuilt Core INSERTs
# (the ORM's unit of work cost about as much as the rest of submitting).
_INSERT_CASE = insert(Submission.__table__).returning(Submission.__table__.c.id)
_INSERT_HISTORY = insert(CaseHistoryEntry.__table__).returning(CaseHistoryEntry.__table__.c.id)


def _insert_case(session: Session, values: dict[str, Any]) -> Submission:
    """Insert the case (every column given) and return it as a loaded row of the session."""
    new_id = session.execute(_INSERT_CASE, values).scalar_one()
    submission = Submission(id=new_id, **values)
    make_transient_to_detached(submission)
    session.add(submission)
    return submission


def _insert_history(session: Session, values: dict[str, Any]) -> CaseHistoryEntry:
    """Insert a history entry; the returned entry is not in the session (nothing changes it)."""
    return CaseHistoryEntry(id=session.execute(_INSERT_HISTORY, values).scalar_one(), **values)


def initial_status(service: Any) -> str:
    return service.process.initial if service.process else DEFAULT_INITIAL_STATE


def case_facts(outcome: Outcome, submitted_on: date) -> dict[str, Any]:
    """The columns of what the engine decided for these answers on `submitted_on`."""
    institution = outcome.institution
    days = outcome.deadline_days
    return {
        "fee_total": outcome.fees.total, "fees": fees_to_json(outcome.fees),
        "route": outcome.route, "route_rule": outcome.route_rule,
        "institution_id": institution.id if institution is not None else None,
        "institution": institution_to_json(institution) if institution is not None else None,
        "deadline_days": days, "due_on": working_days_add(submitted_on, days) if days is not None else None,
        "payment_due_on": outcome.fees.due,
    }


def institution_to_json(institution: Institution) -> dict[str, Any]:
    contacts = ("registration_number", "e_address", "email", "phone", "address")
    return {"id": institution.id, "name": dict(institution.name),
            **{name: getattr(institution, name) for name in contacts if getattr(institution, name)}}
