"""A case's own page for its applicant, linked from "my applications" and the confirmation.

    GET  /<municipality>/case/<reference>
    POST /<municipality>/case/<reference>/requests/<id>    answer an information request
    GET  /<municipality>/case/<reference>/documents/<document>.pdf   a result document (the permit)

Status and its history, what is due and how to pay (the payee, IBAN, reference, QR code,
"copy" buttons with JavaScript), the application PDF, the notes staff marked visible, the
information requests and the decisions. `cases.own_case` decides who may see it (the
access policy); anyone else gets the same 404 as for a reference that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for

from ..cases.caseflow import CaseActionRefused
from ..cases.lookup import CaseNotFound
from ..cases.own_case import open_own_case, own_result_document
from ..documents.jobs import document_path
from ..cases.requests import answer_request
from ..i18n import gettext as _
from ..uploads import UploadRejected, rejection_message
from ..state import municipality_or_404, runtime_state
from .account import status_label
from .acting import filed_for
from .actor import current_actor, current_clock
from .downloads import DOWNLOAD_HEADERS
from .resident.payment import fee_lines, payment

case_page_views = Blueprint("case_page", __name__)
PRIVATE_HEADERS = {"Cache-Control": "private, no-store"}


def payment_state_names() -> dict[str, str]:
    return {"paid": _("Paid"), "partly_paid": _("Partly paid"), "overpaid": _("Overpaid"),
            "unpaid": _("Not paid"), "nothing_due": _("Nothing due"), "waived": _("The municipality waived the fee"),
            "not_assessed": _("The municipality will calculate the amount and show it here")}


def answer_messages() -> dict[str, str]:
    return {"empty_answer": _("Write your answer or add a file."),
            "too_long": _("Your answer is too long: at most 5,000 characters."),
            "too_many_files": _("Add at most 10 files at a time."),
            "not_open": _("This request has been answered already."),
            "moved_meanwhile": _("Your application changed meanwhile. Look at it again and answer once more.")}


@case_page_views.get("/<municipality_id>/case/<reference>")
def case_page(municipality_id: str, reference: str, errors: dict | None = None, answering: int | None = None):
    municipality_or_404(municipality_id)
    state = runtime_state()
    try:
        found = open_own_case(state.database, state.catalogue, current_actor(), municipality_id, reference)
    except CaseNotFound:
        abort(404)
    service, fees = found.effective.service, found.fees
    unpaid = fees is not None and found.payment_state in ("unpaid", "partly_paid")
    html = render_template(
        "resident/case.html", municipality=found.effective.municipality, service=service, own=found,
        case=found.case, status=status_label(service, found.case.status), filed_for=filed_for(found.case),
        state_label=lambda status: status_label(service, status),
        input_names={"reason": _("Reason"), "decision": _("Decision"), "date": _("Date")},
        fee_lines=fee_lines(fees) if fees else [], fees=fees, payment_states=payment_state_names(),
        payment=payment(found.effective.municipality, fees) if fees and unpaid else None,
        pay_by=found.case.payment_due_on,
        pdf_url=f"{request.script_root}/{found.case.municipality_id}/{found.service_id}/case/{reference}/application.pdf",
        errors=errors or {}, answering=answering, max_upload_mb=state.settings.max_upload_mb, typed=request.form.get("answer", "") if errors else "")
    return html, 422 if errors else 200, PRIVATE_HEADERS


@case_page_views.post("/<municipality_id>/case/<reference>/requests/<int:request_id>")
def answer(municipality_id: str, reference: str, request_id: int):
    state = runtime_state()
    try:
        answer_request(state.database, state.catalogue, state.settings, current_actor(), current_clock(),
                       municipality_id, reference, request_id, request.form.get("answer", ""),
                       request.files.getlist("files"))
    except CaseNotFound:
        abort(404)
    except UploadRejected as rejected:
        return case_page(municipality_id, reference, errors={f"files-{request_id}": rejection_message(rejected)},
                         answering=request_id)
    except CaseActionRefused as refusal:
        messages = answer_messages()
        return case_page(municipality_id, reference, answering=request_id,
                         errors={f"{name}-{request_id}": messages.get(code, code)
                                 for name, code in refusal.errors.items()})
    return redirect(url_for("case_page.case_page", municipality_id=municipality_id, reference=reference,
                            answered=1) + "#requests", 303)


@case_page_views.get("/<municipality_id>/case/<reference>/documents/<document_id>.pdf")
def result_document(municipality_id: str, reference: str, document_id: str):
    state = runtime_state()
    try:
        document = own_result_document(state.database, state.catalogue, current_actor(), municipality_id, reference,
                                       document_id)
        path = document_path(state.settings, document)
    except (CaseNotFound, FileNotFoundError):
        abort(404)
    return send_document(path, document, f"{reference}-{document_id}.pdf")


def send_document(path, document, name: str):
    """A stored PDF as a private download (no caching, sandboxed)."""
    response = send_file(path, mimetype=document.media_type, download_name=name)
    response.headers.update(DOWNLOAD_HEADERS)
    return response
