"""One case: the case file, its process steps, notes, assignment and attachments.

    GET  /staff/<m>/case/<reference>                 the case file (the view is audited)
    POST /staff/<m>/case/<reference>/move            make a declared process step
    POST /staff/<m>/case/<reference>/note            add a note (internal or for the applicant)
    POST /staff/<m>/case/<reference>/assign          give the case to a colleague
    POST /staff/<m>/case/<reference>/request         ask the applicant for information or files
    POST /staff/<m>/case/<reference>/waive           waive the fee, with a reason (audited)
    GET  /staff/<m>/case/<reference>/file/<id>       an attachment, as a download
    GET  /staff/<m>/case/<reference>/documents/<document>.pdf   a result document (audited)
"""
from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, request, send_file, url_for

from ...cases.access import RECORD_PAYMENT, may_act
from ...cases.caseflow import CaseActionRefused, add_note, assign_case, move_case
from ...cases.casefile import CaseNotFound, case_attachment, case_document, history_actor_names, open_case_file
from ...documents.jobs import document_path
from ...cases.requests import ask_for_information
from ...cases.waivers import waive_fee
from ...i18n import current_language, gettext as _
from ...state import municipality_or_404, runtime_state
from ...uploads import upload_path
from ..actor import current_clock
from ..case_page import send_document
from ..downloads import DOWNLOAD_HEADERS
from . import staff
from .answers import answer_sections
from .session import audit_context, staff_actor, staff_required


def refusal_messages() -> dict[str, str]:
    return {
        "not_declared": _("This step is not possible from the case's current status."),
        "not_your_role": _("The service gives this step to another role."),
        "missing": _("This must be filled in."),
        "bad_date": _("Give the date as YYYY-MM-DD."),
        "too_long": _("This is too long: at most 5,000 characters."),
        "moved_meanwhile": _("Someone moved this case meanwhile. Look at its status and try again."),
        "not_a_colleague": _("Choose a colleague who works on this institution's cases."),
        "not_allowed": _("Your role does not allow this."),
        "not_paid": _("This step needs the fee paid first."),
        "bad_amount": _("Give the amount in euros and cents, for example 12.50."),
        "not_open": _("This request has been answered already."),
        "already_settled": _("There is nothing left to waive: the fee is paid or waived already."),
    }


@staff.get("/<municipality_id>/case/<reference>")
@staff_required
def case_file(municipality_id: str, reference: str, errors: dict | None = None, form: dict | None = None):
    municipality = municipality_or_404(municipality_id)
    state = runtime_state()
    try:
        found = open_case_file(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
                               municipality_id, reference, current_language())
    except CaseNotFound:
        abort(404)
    return render_template("staff/case.html", staff_municipality=municipality, file=found,
                           answers=answer_sections(found.effective, found.outcome),
                           actor_names=history_actor_names(state.database, found.history),
                           may_record_payment=may_act(staff_actor(), found.case, RECORD_PAYMENT),
                           errors=errors or {}, form=form or {}), 422 if errors else 200


def refused_page(municipality_id: str, reference: str, codes: dict[str, str]):
    """The case file again, with what was refused in words and the form as it was sent."""
    messages = refusal_messages()
    errors = {field: messages.get(code, code) for field, code in codes.items()}
    return case_file(municipality_id, reference, errors=errors, form=request.form.to_dict())


def _refused(municipality_id: str, reference: str, refusal: CaseActionRefused):
    return refused_page(municipality_id, reference, refusal.errors)


@staff.post("/<municipality_id>/case/<reference>/move")
@staff_required
def move(municipality_id: str, reference: str):
    state = runtime_state()
    inputs = {name: request.form.get(name, "") for name in ("reason", "decision", "date")}
    try:
        move_case(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
                  municipality_id, reference, request.form.get("target", ""), inputs)
    except CaseNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return _refused(municipality_id, reference, refusal)
    return redirect(url_for("staff.case_file", municipality_id=municipality_id, reference=reference), 303)


@staff.post("/<municipality_id>/case/<reference>/note")
@staff_required
def note(municipality_id: str, reference: str):
    try:
        add_note(runtime_state().database, staff_actor(), current_clock(), audit_context(), municipality_id,
                 reference, request.form.get("note", ""), request.form.get("visible") == "1")
    except CaseNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return _refused(municipality_id, reference, refusal)
    return redirect(url_for("staff.case_file", municipality_id=municipality_id, reference=reference) + "#notes", 303)


@staff.post("/<municipality_id>/case/<reference>/assign")
@staff_required
def assign(municipality_id: str, reference: str):
    assignee = request.form.get("assignee", "")
    try:
        assign_case(runtime_state().database, staff_actor(), audit_context(), municipality_id, reference,
                    int(assignee) if assignee.isdigit() else None)
    except CaseNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return _refused(municipality_id, reference, refusal)
    return redirect(url_for("staff.case_file", municipality_id=municipality_id, reference=reference), 303)


@staff.post("/<municipality_id>/case/<reference>/request")
@staff_required
def request_information(municipality_id: str, reference: str):
    state = runtime_state()
    try:
        ask_for_information(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
                            municipality_id, reference, request.form.get("question", ""),
                            request.form.get("wants_files") == "1")
    except CaseNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return _refused(municipality_id, reference, refusal)
    return redirect(url_for("staff.case_file", municipality_id=municipality_id, reference=reference) + "#requests",
                    303)


@staff.post("/<municipality_id>/case/<reference>/waive")
@staff_required
def waive(municipality_id: str, reference: str):
    try:
        waive_fee(runtime_state().database, staff_actor(), current_clock(), audit_context(), municipality_id,
                  reference, request.form.get("waiver_reason", ""))
    except CaseNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return _refused(municipality_id, reference, refusal)
    return redirect(url_for("staff.case_file", municipality_id=municipality_id, reference=reference) + "#fees", 303)


@staff.get("/<municipality_id>/case/<reference>/file/<uuid:upload_id>")
@staff_required
def attachment(municipality_id: str, reference: str, upload_id: uuid.UUID):
    state = runtime_state()
    try:
        upload = case_attachment(state.database, staff_actor(), audit_context(), municipality_id, reference,
                                 upload_id)
    except CaseNotFound:
        abort(404)
    response = send_file(upload_path(state.settings, upload), mimetype=upload.media_type, as_attachment=True,
                         download_name=upload.filename)
    response.headers.update(DOWNLOAD_HEADERS)
    return response


@staff.get("/<municipality_id>/case/<reference>/documents/<document_id>.pdf")
@staff_required
def result_document(municipality_id: str, reference: str, document_id: str):
    state = runtime_state()
    try:
        document = case_document(state.database, staff_actor(), audit_context(), municipality_id, reference,
                                 document_id)
        path = document_path(state.settings, document)
    except (CaseNotFound, FileNotFoundError):
        abort(404)
    return send_document(path, document, f"{reference}-{document_id}.pdf")
