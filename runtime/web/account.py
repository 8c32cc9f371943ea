""""My applications": the signed-in person's drafts and submissions.

One list across municipalities at `/my/` (a person's applications do not depend on which
municipality's site they start from; each row names its municipality). It lists the
cases and drafts of whom the person now acts for (`cases.listing`): themselves, or the
company, child or authoriser chosen at "who do you act for" (`web.acting`); without a
sign-in the page redirects to the sign-in page and comes back here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from ..cases.listing import cases_of, drafts_of
from ..i18n import text_for
from ..identity import acting_choices, current_acting_for
from ..kept import kept_on
from ..state import runtime_state
from ..versions import services_for_rows
from .account_plans import planned_my_applications
from .actor import current_actor
from .queue import QueueSection, may_have_queue_section, queue_section

account = Blueprint("account", __name__)

ROW_URLS_KEPT = "_pkip_row_urls"
SLOT_MARK = "pkip0row0slot"
UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")    # what Werkzeug puts into a path as it is


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
    case_url: str | None = None         # a case: its page (linked twice per row)
    pdf_url: str | None = None          # a case of a known service: its application PDF
    resume_url: str | None = None       # a draft of a known service and municipality: where it goes on


@account.get("/my/")
def my_applications():
    actor = current_actor()
    if not actor.signed_in:
        return redirect(url_for("auth.signin", next=url_for("account.my_applications")))
    state = runtime_state()
    with state.database.engine.connect() as connection:
        cases, drafts = cases_of(connection, actor), drafts_of(connection, actor)
    services = services_for_rows(state.catalogue, state.database, (*cases, *drafts))
    queues = _queue_sections(state, cases, services)
    titles: dict[int, str] = {}     # a service's title once per request, however many rows it has
    submitted = [_submission_row(s, services.get(s.service_version_id), queues.get(s.id), state.catalogue, titles)
                 for s in cases]
    saved = [_draft_row(d, services.get(d.service_version_id), state.catalogue, titles) for d in drafts]
    acting_for, may_choose = current_acting_for(), bool(acting_choices())
    drawn = planned_my_applications(submitted, saved, acting_for, may_choose)
    if drawn is not None:
        return drawn
    return render_template("account/my_applications.html", submissions=submitted, drafts=saved,
                           acting_for=acting_for, may_choose=may_choose)


def _queue_sections(state: Any, cases: list, services: dict) -> dict[int, QueueSection | None]:
    """The queue places of the cases whose service keeps a queue (a session only then)."""
    queued = [(case, services[case.service_version_id].id) for case in cases
              if services.get(case.service_version_id) is not None
              and may_have_queue_section(state.catalogue, case.municipality_id, services[case.service_version_id].id)]
    if not queued:
        return {}
    with state.database.transaction() as session:
        return {case.id: queue_section(session, case, service_id) for case, service_id in queued}


def _row(service: Any | None, municipality_id: str, when: datetime, catalogue: Any, titles: dict[int, str],
         **details: Any) -> Row:
    """A row; `titles` keeps each service's title in this request's language by the
    service's id() (the services outlive the request)."""
    title = "?"
    if service is not None:
        title = titles.get(id(service))
        if title is None:
            title = titles[id(service)] = text_for(service.title)
    return Row(municipality=catalogue.municipalities.get(municipality_id), municipality_id=municipality_id,
               service_id=service.id if service else "", title=title, when=when, **details)


def row_url(service: Any | None, endpoint: str, slot: str, value: str, **fixed: str) -> str:
    """`url_for(endpoint, **fixed, slot=value)`: kept on the compiled service per mount
    point and fixed values as the address around a slot, which the row's own value (a
    reference, a draft's id) fills when Werkzeug would put it in as it is. Werkzeug builds
    an address in some fifty calls, and a row has two. `tests/runtime/test_account_row_urls.py`
    compares the two."""
    if service is not None and UNRESERVED.fullmatch(value):
        urls = kept_on(service, ROW_URLS_KEPT)
        key = (endpoint, slot, request.script_root, *fixed.items())
        around = urls.get(key)
        if around is None:
            around = urls[key] = url_for(endpoint, **fixed, **{slot: SLOT_MARK}).split(SLOT_MARK)
        if len(around) == 2:        # else a fixed value holds the mark itself
            return around[0] + value + around[1]
    return url_for(endpoint, **fixed, **{slot: value})


def _submission_row(case: Any, service: Any | None, queue: QueueSection | None, catalogue: Any,
                    titles: dict[int, str]) -> Row:
    pdf_url = row_url(service, "documents.application_pdf", "reference", case.reference,
                      municipality_id=case.municipality_id, service_id=service.id) if service else None
    return _row(service, case.municipality_id, case.submitted_at, catalogue, titles, reference=case.reference,
                case_url=row_url(service, "case_page.case_page", "reference", case.reference,
                                 municipality_id=case.municipality_id),
                pdf_url=pdf_url,
                status=status_label(service, case.status), queue=queue,
                institution=(case.institution or {}).get("name"), due_on=case.due_on,
                awaiting_answer=bool(case.awaiting_answer))


def _draft_row(draft: Any, service: Any | None, catalogue: Any, titles: dict[int, str]) -> Row:
    known = service is not None and draft.municipality_id in catalogue.municipalities
    resume_url = row_url(service, "resident.resume_own", "draft_id", str(draft.id),
                         municipality_id=draft.municipality_id, service_id=service.id) if known else None
    return _row(service, draft.municipality_id, draft.updated_at, catalogue, titles, draft_id=str(draft.id),
                resume_url=resume_url)


def status_label(service: Any, status: str) -> str:
    """The state's label from the service's process, in the current language."""
    process = getattr(service, "process", None)
    state = process.states.get(status) if process is not None else None
    return text_for(state.label) if state is not None else status
