"""The cases of the token's institution: the list, one case, its process steps and its
documents. Each view calls the use case the staff pages call (`inbox`, `open_case_file`,
`move_case`), so the same roles, `requires:` and audit apply."""
from __future__ import annotations

from flask import request, send_file, url_for

from ...cases.access import SCOPE_DOCUMENTS, SCOPE_READ, SCOPE_WRITE
from ...cases.caseflow import MOVED_MEANWHILE, CaseActionRefused, move_case
from ...cases.case_documents import ATTACHMENT, CaseDocument, list_case_documents, open_case_document
from ...cases.casefile import open_case_file
from ...cases.inbox import InboxQuery, inbox
from ...cases.lookup import CaseNotFound
from ...documents.jobs import document_path
from ...i18n import gettext as _
from ...state import runtime_state
from ...uploads import upload_path
from ..actor import current_clock
from ..downloads import DOWNLOAD_HEADERS
from . import api, caller
from .problems import ApiProblem, not_found
from .schemas import (
    CaseDetail, CaseList, CaseQuery, CaseSummary, DocumentRef, FieldProblem, HistoryEntry, Step, TransitionDone,
    TransitionRequest,
)
from .spec import ApiResponse, documented

PATHS = {"municipality_id": "The municipality's id (`riga`), the token's own",
         "reference": "The case reference", "document_id": "`document-<n>` or `upload-<uuid>`"}


@api.get("/<municipality_id>/cases")
@documented(query=CaseQuery, resp=ApiResponse(HTTP_200=CaseList), tags=["cases"],
            path_parameter_descriptions=PATHS)
def list_cases(municipality_id: str):
    """The institution's cases, sorted by due date, 50 a page: every open case, or those of one status."""
    who = caller(SCOPE_READ, municipality_id)
    query: CaseQuery = request.context.query
    state = runtime_state()
    found = inbox(state.database, state.catalogue, who.actor, current_clock(), municipality_id,
                  InboxQuery(service=query.service, status=query.status, due=query.due, channel=query.channel,
                             search=query.search, page=query.page))
    rows = [CaseSummary(reference=row.reference, municipality=municipality_id, service=row.service_id,
                        status=row.status, submitted_at=row.submitted_at, due_on=row.due_on, channel=row.channel,
                        institution=who.grant.institution_id, applicant=row.applicant,
                        assigned_to=row.assigned_to, marker=row.marker) for row in found.rows]
    return CaseList(items=rows, total=found.total, page=found.page, pages=found.pages, counts=found.counts)


@api.get("/<municipality_id>/cases/<reference>")
@documented(resp=ApiResponse(HTTP_200=CaseDetail), tags=["cases"], path_parameter_descriptions=PATHS)
def read_case(municipality_id: str, reference: str):
    """One case: its answers, fees as charged, payments, history, the steps this token may make, documents."""
    who = caller(SCOPE_READ, municipality_id)
    state = runtime_state()
    try:
        found = open_case_file(state.database, state.catalogue, who.actor, current_clock(), who.audit(),
                               municipality_id, reference, "lv")
        documents = list_case_documents(state.database, who.actor, municipality_id, reference) \
            if SCOPE_DOCUMENTS in who.grant.scopes else []
    except CaseNotFound:
        raise not_found() from None
    case = found.case
    return CaseDetail(
        reference=case.reference, municipality=municipality_id, service=found.service_id, status=case.status,
        submitted_at=case.submitted_at, due_on=case.due_on, channel=case.channel, institution=case.institution_id,
        applicant=found.applicant.name, assigned_to=found.assigned_to, marker=found.marker,
        answers=case.answers or {}, fee_total=str(case.fee_total), fees=case.fees, paid=str(found.paid),
        payment_due_on=case.payment_due_on, payment_state=found.payment_state,
        history=[HistoryEntry(from_status=e.from_status, to_status=e.to_status, at=e.at, actor=e.actor, note=e.note)
                 for e in found.history],
        steps=[Step(target=t.target, requires=list(t.requires), by=list(t.by)) for t in found.transitions],
        documents=[document_ref(municipality_id, reference, d) for d in documents])


@api.post("/<municipality_id>/cases/<reference>/transitions")
@documented(json=TransitionRequest, resp=ApiResponse(HTTP_200=TransitionDone, HTTP_409=None),
            tags=["cases"], path_parameter_descriptions=PATHS)
def make_transition(municipality_id: str, reference: str):
    """Make a process step the service declares from the case's status (a decision gives `decision`)."""
    who = caller(SCOPE_WRITE, municipality_id)
    step: TransitionRequest = request.context.json
    state = runtime_state()
    inputs = {name: getattr(step, name) or "" for name in ("reason", "decision", "date")}
    try:
        status = move_case(state.database, state.catalogue, who.actor, current_clock(), who.audit(),
                           municipality_id, reference, step.target, inputs)
    except CaseNotFound:
        raise not_found() from None
    except CaseActionRefused as refusal:
        raise refused(refusal) from None
    return TransitionDone(reference=reference, status=status)


def refused(refusal: CaseActionRefused) -> ApiProblem:
    """A step the process refused: 409 when the case moved meanwhile, else 422 with each reason."""
    errors = [FieldProblem(location=name, code=code, message=refusal_text(code)) for name, code in refusal.errors.items()]
    if MOVED_MEANWHILE in refusal.errors.values():
        return ApiProblem(409, "conflict", _("The case changed meanwhile"),
                          _("Someone moved this case meanwhile. Read it again and retry."), errors)
    return ApiProblem(422, "step_refused", _("The step cannot be made"),
                      _("The process does not allow this step as asked."), errors)


def refusal_text(code: str) -> str:
    from ..staff.casefile import refusal_messages   # the same words as the staff pages
    return refusal_messages().get(code, code)


@api.get("/<municipality_id>/cases/<reference>/documents")
@documented(resp=ApiResponse(HTTP_200=list[DocumentRef]), tags=["documents"],
            path_parameter_descriptions=PATHS)
def list_documents(municipality_id: str, reference: str):
    """The case's rendered documents (the application PDF, decisions) and the applicant's attachments."""
    who = caller(SCOPE_DOCUMENTS, municipality_id)
    try:
        found = list_case_documents(runtime_state().database, who.actor, municipality_id, reference)
    except CaseNotFound:
        raise not_found() from None
    return [document_ref(municipality_id, reference, d).model_dump(mode="json") for d in found]


@api.get("/<municipality_id>/cases/<reference>/documents/<document_id>")
@documented(resp=ApiResponse(binary={"HTTP_200": "*/*"}), tags=["documents"],
            path_parameter_descriptions=PATHS)
def download_document(municipality_id: str, reference: str, document_id: str):
    """One document's file, as its media type (audited)."""
    who = caller(SCOPE_DOCUMENTS, municipality_id)
    state = runtime_state()
    try:
        found = open_case_document(state.database, who.actor, who.audit(), municipality_id, reference, document_id)
        path = (upload_path if found.id.startswith(ATTACHMENT) else document_path)(state.settings, found)
    except (CaseNotFound, FileNotFoundError):
        raise not_found(_("There is no such document of this case.")) from None
    response = send_file(path, mimetype=found.media_type, as_attachment=True, download_name=found.filename)
    response.headers.update(DOWNLOAD_HEADERS)
    response.direct_passthrough = False     # spectree reads the body (files are at most the upload limit)
    return response


def document_ref(municipality_id: str, reference: str, found: CaseDocument) -> DocumentRef:
    return DocumentRef(id=found.id, kind=found.kind, filename=found.filename, media_type=found.media_type,
                       size=found.size, sha256=found.sha256, field=found.field,
                       href=url_for("api.download_document", municipality_id=municipality_id, reference=reference,
                                    document_id=found.id))
