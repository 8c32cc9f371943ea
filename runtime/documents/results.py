"""Result documents (the permit, the decision letter), rendered by the worker when a case reaches a state
whose `result` names one of the service's `documents`, from the definition's template, in
the applicant's language, as a tagged PDF, through the outbox.

`caseflow.move_case` enqueues `render_result_document` (`cases.results.enqueue_result`) ({"submission_id", "document",
"decision", "decided_on"}) in the transaction that moves the case. The handler renders the
template in the bounded sandbox (`sandbox.render_admin_template`) with the variables
`pkip validate` renders it with (`builder.templatecheck.document_variables`), filled from the
stored case: its answers, the fees as charged, the computed values as on the submission
day. It stores one document per case and kind (`jobs.store_document`) and, in the same
transaction, writes the hand-off for delivery:

    result_document_ready  {"submission_id", "reference", "municipality_id", "service_id",
                            "document", "title": {lv, en}, "deliver": [...], "locale",
                            "stored_document_id", "media_type", "sha256", "size"}

plain data for the publishers (the DIV e-address for `deliver: [e_address]`). Until a
publisher takes that kind over, `note_result_ready` marks it done: a download needs no
sending. Running the job twice leaves one document and one hand-off.
"""
from __future__ import annotations

import functools
import logging
from datetime import date
from pathlib import Path
from typing import Any

from builder.engine import to_json
from builder.templatecheck import document_variables
from sqlalchemy.orm import Session

from ..fees import charged_fees
from ..outbox import enqueue
from ..state import RuntimeState
from ..storage.models import Submission
from .application import Formatter, evaluate_quietly
from ..cases.results import RENDER_RESULT, RESULT_READY
from .jobs import STATIC_FOLDER, still_to_render, store_document
from .sandbox import render_admin_template, sandboxed_environment

log = logging.getLogger(__name__)


@functools.cache
def _environment(folder: str):
    return sandboxed_environment(folder)


def render_result_html(effective: Any, submission: Submission, document_id: str, *, decision: str,
                       decided_on: date, templates_folder: Path) -> str:
    fmt = Formatter(submission.locale, effective)
    outcome = evaluate_quietly(effective, submission.answers, submission.submitted_at, fmt.language)
    case = {"reference": submission.reference, "submitted_at": fmt.day(submission.submitted_at.date()),
            "decided_on": fmt.day(decided_on), "decision": decision}
    variables = document_variables(effective, answers=submission.answers or {},
                                   computed=to_json(outcome.computed) if outcome is not None else {},
                                   fees=charged_fees(submission, outcome), case=case, language=fmt.language)
    template = effective.service.documents[document_id].template
    return render_admin_template(_environment(str(templates_folder)), template, variables)


def render_result_document(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler: render the case's result document once, store it, hand it on."""
    document_id = str(payload["document"])
    found = still_to_render(state, int(payload["submission_id"]), document_id)
    if found is None:
        return
    submission, effective = found
    html = render_result_html(effective, submission, document_id, decision=payload.get("decision") or "",
                              decided_on=date.fromisoformat(payload["decided_on"]),
                              templates_folder=Path(state.catalogue.root) / "templates")
    from .pdf import html_to_pdf       # WeasyPrint is loaded where documents are rendered only

    pdf = html_to_pdf(html, static_folder=STATIC_FOLDER)
    store_document(state, submission, document_id, pdf,
                   then=lambda session, stored: _hand_off(session, effective, submission, document_id, stored))


def _hand_off(session: Session, effective: Any, submission: Submission, document_id: str, stored: Any) -> None:
    document = effective.service.documents[document_id]
    enqueue(session, RESULT_READY, {
        "submission_id": submission.id, "reference": submission.reference,
        "municipality_id": submission.municipality_id, "service_id": effective.service.id,
        "document": document_id, "title": dict(document.title), "deliver": list(document.deliver),
        "locale": submission.locale, "stored_document_id": stored.id, "media_type": stored.media_type,
        "sha256": stored.sha256, "size": stored.size})


def note_result_ready(state: RuntimeState, payload: dict[str, Any]) -> None:
    """The runtime's own handler of the hand-off: the applicant downloads the document from
    the case page; sending it elsewhere is a publisher's, which replaces this handler."""
    log.info("result document %s of case %s is ready (deliver: %s)", payload.get("document"),
             payload.get("reference"), ", ".join(payload.get("deliver", ())))
