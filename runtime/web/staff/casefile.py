"""One case: the case file, its process steps, notes, assignment and attachments.

    GET  /staff/<m>/case/<reference>                 the case file (the view is audited)
    POST /staff/<m>/case/<reference>/move            make a declared process step
    POST /staff/<m>/case/<reference>/note            add a note (internal or for the applicant)
    POST /staff/<m>/case/<reference>/assign          give the case to a colleague
    POST /staff/<m>/case/<reference>/request         ask the applicant for information or files
    POST /staff/<m>/case/<reference>/waive           waive the fee, with a reason (audited)
    POST /staff/<m>/case/<reference>/assess          set an amount the service leaves to staff (`fees.assessed`)
    GET  /staff/<m>/case/<reference>/file/<id>       an attachment, as a download
    GET  /staff/<m>/case/<reference>/documents/<document>.pdf   a result document (audited)
"""
from __future__ import annotations

import functools
import uuid

from flask import abort, redirect, render_template, request, send_file, url_for

from ...cases.access import RECORD_PAYMENT, may_act
from ...cases.caseflow import CaseActionRefused, add_note, assign_case, move_case
from ...cases.casefile import CaseNotFound, case_attachment, case_document, history_actor_names, open_case_file
from ...documents.jobs import document_path
from ...cases.requests import ask_for_information
from ...cases.assessments import assess_fee
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
        "not_assessed": _("This step needs the amount the municipality calculates set first, then paid or waived."),
        "not_to_assess": _("This amount is set already, or the case does not owe it."),
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


def case_action(fragment: str = "", refusals: tuple[type[Exception], ...] = (CaseActionRefused,)):
    """A POST that acts on one case: the view only does the action; afterwards the case
    file again (at `fragment`). A case not found is a 404; a refusal (an exception with
    `errors`) is the case file with what was refused and the form as it was sent."""
    def decorate(view):
        @functools.wraps(view)
        def act(municipality_id: str, reference: str):
            try:
                view(municipality_id, reference)
            except CaseNotFound:
                abort(404)
            except refusals as refusal:
                return refused_page(municipality_id, reference, refusal.errors)
            return redirect(url_for("staff.case_file", municipality_id=municipality_id, reference=reference)
                            + fragment, 303)
        return act
    return decorate


@staff.post("/<municipality_id>/case/<reference>/move")
@staff_required
@case_action()
def move(municipality_id: str, reference: str) -> None:
    state = runtime_state()
    inputs = {name: request.form.get(name, "") for name in ("reason", "decision", "date")}
    move_case(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
              municipality_id, reference, request.form.get("target", ""), inputs)


@staff.post("/<municipality_id>/case/<reference>/note")
@staff_required
@case_action("#notes")
def note(municipality_id: str, reference: str) -> None:
    add_note(runtime_state().database, staff_actor(), current_clock(), audit_context(), municipality_id,
             reference, request.form.get("note", ""), request.form.get("visible") == "1")


@staff.post("/<municipality_id>/case/<reference>/assign")
@staff_required
@case_action()
def assign(municipality_id: str, reference: str) -> None:
    assignee = request.form.get("assignee", "")
    assign_case(runtime_state().database, staff_actor(), audit_context(), municipality_id, reference,
                int(assignee) if assignee.isdigit() else None)


@staff.post("/<municipality_id>/case/<reference>/request")
@staff_required
@case_action("#requests")
def request_information(municipality_id: str, reference: str) -> None:
    state = runtime_state()
    ask_for_information(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
                        municipality_id, reference, request.form.get("question", ""),
                        request.form.get("wants_files") == "1")


@staff.post("/<municipality_id>/case/<reference>/waive")
@staff_required
@case_action("#fees")
def waive(municipality_id: str, reference: str) -> None:
    waive_fee(runtime_state().database, staff_actor(), current_clock(), audit_context(), municipality_id,
              reference, request.form.get("waiver_reason", ""))


@staff.post("/<municipality_id>/case/<reference>/assess")
@staff_required
@case_action("#fees")
def assess(municipality_id: str, reference: str) -> None:
    state = runtime_state()
    assess_fee(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(), municipality_id,
               reference, request.form.get("fee", ""), request.form.get("assessed_amount", ""),
               request.form.get("assessed_reason", ""))


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
