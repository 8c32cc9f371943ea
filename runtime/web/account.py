""""My applications": the signed-in person's drafts and submissions.

One list across municipalities at `/my/` (a person's applications do not depend on which
municipality's site they start from; each row names its municipality). It lists the
cases and drafts of whom the person now acts for (`cases.listing`): themselves, or the
company, child or authoriser chosen at "who do you act for" (`web.acting`); without a
sign-in the page redirects to the sign-in page and comes back here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy.orm import Session

from ..cases.listing import cases_of, drafts_of
from ..cases.requests import cases_awaiting_answer
from ..i18n import text_for
from ..identity import acting_choices, current_acting_for
from ..state import runtime_state
from ..storage.models import Draft, Submission
from ..versions import services_for_versions
from .actor import current_actor
from .queue import QueueSection, queue_section

account = Blueprint("account", __name__)


@dataclass(frozen=True)
class Row:
    municipality: Any
    municipality_id: str
    service_id: str
    title: str
    when: datetime
    reference: str | None = None
    status: str | None = None
    draft_id: str | None = None         # a draft: continued at resident.resume_own
    institution: Any = None             # a case: the institution it was sent to (its name then)
    due_on: date | None = None          # a case: when the answer is due, as decided at submission
    queue: QueueSection | None = None   # a case of a service with a queue: its places
    awaiting_answer: bool = False       # a case: the municipality asked for information


@account.get("/my/")
def my_applications():
    actor = current_actor()
    if not actor.signed_in:
        return redirect(url_for("auth.signin", next=url_for("account.my_applications")))
    with runtime_state().database.transaction() as session:
        cases, drafts = cases_of(session, actor), drafts_of(session, actor)
        asked = cases_awaiting_answer(session, [case.id for case in cases])
        services = services_for_versions(runtime_state().catalogue, session,
                                         [row.service_version_id for row in (*cases, *drafts)])
        submitted = [_submission_row(session, s, services.get(s.service_version_id), s.id in asked) for s in cases]
        saved = [_draft_row(d, services.get(d.service_version_id)) for d in drafts]
    return render_template("account/my_applications.html", submissions=submitted, drafts=saved,
                           acting_for=current_acting_for(), may_choose=bool(acting_choices()))


def _row(service: Any | None, municipality_id: str, when: datetime, **details: Any) -> Row:
    return Row(
        municipality=runtime_state().catalogue.municipalities.get(municipality_id),
        municipality_id=municipality_id,
        service_id=service.id if service else "",
        title=text_for(service.title) if service else "?",
        when=when, **details,
    )


def _submission_row(session: Session, submission: Submission, service: Any | None, awaiting_answer: bool) -> Row:
    queue = queue_section(session, submission, service.id) if service is not None else None
    return _row(service, submission.municipality_id, submission.submitted_at, reference=submission.reference,
                status=status_label(service, submission.status), queue=queue,
                institution=(submission.institution or {}).get("name"), due_on=submission.due_on,
                awaiting_answer=awaiting_answer)


def _draft_row(draft: Draft, service: Any | None) -> Row:
    return _row(service, draft.municipality_id, draft.updated_at, draft_id=str(draft.id))


def status_label(service: Any, status: str) -> str:
    """The state's label from the service's process, in the current language."""
    process = getattr(service, "process", None)
    state = process.states.get(status) if process is not None else None
    return text_for(state.label) if state is not None else status
