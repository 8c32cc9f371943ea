"""Payments: a clerk records one by hand on a case; a finance user imports a bank
statement (camt.053) and sees the lines that matched no case.

    POST /staff/<m>/case/<reference>/payment   record a payment (amount, date, note)
    GET  /staff/<m>/payments                   the import form and the unmatched lines
    POST /staff/<m>/payments                   import a statement, then its report
"""
from __future__ import annotations

from flask import abort, render_template, request

from ...cases.camt053 import MAX_BYTES, StatementRefused
from ...cases.casefile import CaseNotFound
from ...cases.payments import PaymentRefused, import_statement, record_payment, unmatched_payments
from ...i18n import gettext as _
from ...state import municipality_or_404, runtime_state
from ..actor import current_clock
from . import staff
from .casefile import case_action
from .session import audit_context, staff_actor, staff_required


@staff.post("/<municipality_id>/case/<reference>/payment")
@staff_required
@case_action("#fees", refusals=(PaymentRefused,))
def payment(municipality_id: str, reference: str) -> None:
    form = request.form
    record_payment(runtime_state().database, staff_actor(), current_clock(), audit_context(), municipality_id,
                   reference, form.get("amount", ""), form.get("paid_on", ""), form.get("payment_note", ""))


@staff.get("/<municipality_id>/payments")
@staff_required
def payments(municipality_id: str, report=None, error: str | None = None):
    municipality = municipality_or_404(municipality_id)
    try:
        unmatched = unmatched_payments(runtime_state().database, staff_actor(), municipality_id)
    except CaseNotFound:
        abort(404)
    status = 422 if error else 200
    return render_template("staff/payments.html", staff_municipality=municipality, unmatched=unmatched,
                           report=report, errors={"statement": error} if error else {}), status


@staff.post("/<municipality_id>/payments")
@staff_required
def payments_import(municipality_id: str):
    municipality_or_404(municipality_id)
    upload = request.files.get("statement")
    data = upload.read(MAX_BYTES + 1) if upload is not None else b""
    if not data:
        return payments(municipality_id, error=_("Choose a camt.053 bank statement file."))
    try:
        report = import_statement(runtime_state().database, staff_actor(), current_clock(), audit_context(),
                                  municipality_id, data)
    except CaseNotFound:
        abort(404)
    except StatementRefused as refused:
        return payments(municipality_id, error=_("The file cannot be read as a bank statement: %(why)s",
                                                 why=str(refused)))
    return payments(municipality_id, report=report)
