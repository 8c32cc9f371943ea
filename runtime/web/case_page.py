"""A case's own page for its applicant, linked from "my applications" and the confirmation.

    GET /<municipality>/case/<reference>

Status and its history, what is due and how to pay (the payee, IBAN, reference, QR code,
"copy" buttons with JavaScript), the application PDF, the notes staff marked visible, the
information requests and the decisions. `cases.own_case` decides who may see it (the
access policy); anyone else gets the same 404 as for a reference that does not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template

from ..cases.lookup import CaseNotFound
from ..cases.own_case import open_own_case
from ..i18n import gettext as _
from ..state import municipality_or_404, runtime_state
from .account import status_label
from .actor import current_actor
from .resident.payment import fee_lines, payment

case_page_views = Blueprint("case_page", __name__)
PRIVATE_HEADERS = {"Cache-Control": "private, no-store"}


def payment_state_names() -> dict[str, str]:
    return {"paid": _("Paid"), "partly_paid": _("Partly paid"), "overpaid": _("Overpaid"),
            "unpaid": _("Not paid"), "nothing_due": _("Nothing due")}


@case_page_views.get("/<municipality_id>/case/<reference>")
def case_page(municipality_id: str, reference: str):
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
        case=found.case, status=status_label(service, found.case.status),
        state_label=lambda status: status_label(service, status),
        input_names={"reason": _("Reason"), "decision": _("Decision"), "date": _("Date")},
        fee_lines=fee_lines(fees) if fees else [], fees=fees, payment_states=payment_state_names(),
        payment=payment(found.effective.municipality, fees) if fees and unpaid else None,
        pdf_url=f"/{found.case.municipality_id}/{found.service_id}/case/{reference}/application.pdf")
    return html, 200, PRIVATE_HEADERS
