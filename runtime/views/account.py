""""My applications": the signed-in person's drafts and submissions.

One list across municipalities at `/my/` (a person's applications do not depend on which
municipality's site they start from; each row names its municipality). Only rows whose
`person_code_hash` is the signed-in person's are listed; without a sign-in the page
redirects to the sign-in page and comes back here.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..versions import UnknownServiceVersion, service_for_version
from ..i18n import text_for
from ..identity import current_person_hash
from ..state import runtime_state
from ..storage.models import Draft, Submission

account = Blueprint("account", __name__)
LISTED = 200


@dataclass(frozen=True)
class Row:
    municipality: Any
    municipality_id: str
    service_id: str
    title: str
    when: datetime
    reference: str | None = None
    status: str | None = None


@account.get("/my/")
def my_applications():
    person_hash = current_person_hash()
    if person_hash is None:
        return redirect(url_for("auth.signin", next=url_for("account.my_applications")))
    with runtime_state().database.transaction() as session:
        submissions = session.scalars(
            select(Submission).where(Submission.person_code_hash == person_hash)
            .order_by(Submission.submitted_at.desc()).limit(LISTED)).all()
        drafts = session.scalars(
            select(Draft).where(Draft.person_code_hash == person_hash)
            .order_by(Draft.updated_at.desc()).limit(LISTED)).all()
        submitted = [_submission_row(session, s) for s in submissions]
        saved = [_draft_row(session, d) for d in drafts]
    return render_template("account/my_applications.html", submissions=submitted, drafts=saved)


def _service(session: Session, version_id: int) -> Any | None:
    try:
        return service_for_version(runtime_state().catalogue, session, version_id)
    except UnknownServiceVersion:
        return None


def _row(session: Session, municipality_id: str, version_id: int, when: datetime,
         reference: str | None = None, status: str | None = None) -> Row:
    service = _service(session, version_id)
    return Row(
        municipality=runtime_state().catalogue.municipalities.get(municipality_id),
        municipality_id=municipality_id,
        service_id=service.id if service else "",
        title=text_for(service.title) if service else "?",
        when=when, reference=reference,
        status=status_label(service, status) if status else None,
    )


def _submission_row(session: Session, submission: Submission) -> Row:
    return _row(session, submission.municipality_id, submission.service_version_id, submission.submitted_at,
                reference=submission.reference, status=submission.status)


def _draft_row(session: Session, draft: Draft) -> Row:
    return _row(session, draft.municipality_id, draft.service_version_id, draft.updated_at)


def status_label(service: Any, status: str) -> str:
    """The state's label from the service's process, in the current language."""
    process = getattr(service, "process", None)
    state = process.states.get(status) if process is not None else None
    return text_for(state.label) if state is not None else status
