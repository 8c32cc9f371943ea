""""Check your answers", the declaration and the submission; then the confirmation page
with the case reference and how to pay."""
from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for
from builder.engine.facts import catalogue_facts

from ...csrf_tokens import csrf_token
from ... import remembered
from ...fees import charged_fees
from ...i18n import current_language, gettext as _
from ...state import runtime_state
from ...throttle import enforce
from ...storage.models import CHANNEL_E_SERVICE, CHANNEL_IN_PERSON
from . import form_action, resident
from ..page_plans import planned, planned_header
from .application import Application, Unavailable, current_effective_or_404, load_application
from .application import session_entry, set_session_entry
from .assisted import assisted_filing
from .confirmation_plans import planned_confirmation
from .fee_plans import fee_table
from .navigation import previous_page
from .pages import page_url
from .payment import fee_lines, payment
from ...cases.access import Actor, may_apply, may_see
from ...cases.assisted import assisting_clerk
from ...cases.drafts import VersionRow
from ...cases.sent_case import SentCase, read_sent_case
from ...cases.submitting import submit
from ..actor import current_actor, current_clock
from .subject import subject_refusal
from .summary import error_links, sections
from .summary_rows import planned_sections
from ...versions import effective_for_version, source_text_needed

DECLARATION = "confirmed"


@resident.route("/check", methods=["GET", "POST"])
def check(municipality_id: str, service_id: str):
    current_effective_or_404(municipality_id, service_id)
    sent = session_entry(municipality_id, service_id).get("sent")
    if sent and "draft" not in session_entry(municipality_id, service_id):
        return redirect(confirmation_url(municipality_id, service_id, sent))   # pressed submit again
    application = load_application(municipality_id, service_id)
    outcome = application.evaluate()
    if outcome.stop is not None:
        return redirect(url_for("resident.stop", municipality_id=municipality_id, service_id=service_id))
    if request.method == "GET":
        return render_check(application, outcome, posted=False, declared=False)
    declared = request.form.get("declaration") == DECLARATION or not application.service.asks_declaration
    actor, channel = filing_actor(municipality_id, service_id)
    if not declared or not outcome.valid or subject_refusal(application, outcome, actor):
        return render_check(application, outcome, posted=True, declared=declared)
    if not may_apply(actor, application.service.audience):     # they signed in for someone else meanwhile
        raise Unavailable("audience", 403)
    enforce("submit")
    reference = submit(runtime_state().database, application.to_submit(), outcome, actor=actor,
                       clock=current_clock(), language=current_language(), channel=channel)
    if reference is None:
        raise Unavailable("sent", 410)
    remembered.remember_submission(reference)
    set_session_entry(municipality_id, service_id, {"sent": reference})
    return redirect(confirmation_url(municipality_id, service_id, reference))


def filing_actor(municipality_id: str, service_id: str) -> tuple[Actor, str]:
    """Who files: the browser's resident, or, for a draft a client-service-centre clerk
    fills in person, the person as applicant and the clerk as filer (channel in-person),
    while the clerk's staff session is open and still a clerk's of this municipality."""
    actor = current_actor()
    filing = assisted_filing(session_entry(municipality_id, service_id))
    if filing is None:
        return actor, CHANNEL_E_SERVICE
    clerk = assisting_clerk(runtime_state().database, filing.staff_session, municipality_id, current_clock())
    if clerk is None:
        raise Unavailable("assisted", 403)
    return replace(actor, person_hash=filing.person.person_hash, acting_for=None, staff_user_id=clerk), \
        CHANNEL_IN_PERSON


def render_check(application: Application, outcome, *, posted: bool, declared: bool):
    planned = None if posted else planned_check(application, outcome)
    if planned is not None:
        return planned
    summary = error_links(application, outcome) if posted else []
    refusal = subject_refusal(application, outcome, current_actor()) if posted else None
    if refusal is not None:
        summary.append(refusal)
    if posted and not declared:
        summary.append((_("Confirm that the information you gave is correct"), "#declaration"))
    return render_template(
        "resident/check.html", municipality=application.municipality, service=application.service,
        sections=sections(application, outcome), summary=summary, incomplete=bool(outcome.errors),
        declaration_error=posted and not declared, fee_lines=fee_lines(outcome.fees), fees=outcome.fees,
        back_url=page_url(application, previous_page(outcome, None)) if outcome.visible_pages else None,
    )


def planned_check(application: Application, outcome) -> str | None:
    """The check page as shown (not after a post) from its plan (page_plans.py): drawn
    once per language, mount point and which of its parts show (errors, a fee to pay, a
    back link); the header, the back link, the form's address, the CSRF token, the
    summary lists (summary_plans.py) and the fees table are filled in. None (draw the
    template) for a visitor whose header is not planned."""
    header = planned_header(application.municipality)
    if header is None:
        return None
    back_url = page_url(application, previous_page(outcome, None)) if outcome.visible_pages else ""
    fees = outcome.fees

    def render(header, back_url, action, csrf, sections, fees_table) -> str:
        return render_template(
            "resident/check.html", municipality=application.municipality, service=application.service, summary=[],
            sections_html=sections, fees_html=fees_table, incomplete=bool(outcome.errors), declaration_error=False,
            fees=fees, back_url=back_url, layout_header=lambda *_: header, form_action=lambda: action,
            csrf_token=lambda: csrf)

    key = ("check", current_language(), request.script_root, bool(outcome.errors), fees.total > 0, bool(back_url))
    fees_table = fee_table(fee_lines(fees), fees)
    return planned(application.effective, key, None, render, {
        "header": header, "back_url": back_url, "action": form_action(), "csrf": csrf_token(),
        "sections": planned_sections(application, outcome), "fees_table": fees_table})


def confirmation_url(municipality_id: str, service_id: str, reference: str) -> str:
    return url_for("resident.confirmation", municipality_id=municipality_id, service_id=service_id,
                   reference=reference)


@resident.get("/case/<reference>")
def confirmation(municipality_id: str, service_id: str, reference: str):
    """Only for the browser that sent it, or the signed-in person it belongs to."""
    current_effective_or_404(municipality_id, service_id)
    catalogue = runtime_state().catalogue
    row = read_sent_case(runtime_state().database, reference, lambda version: source_text_needed(catalogue, version))
    if row is None:
        abort(404)
    submission, version = row
    if not may_see(current_actor(), submission) or submission.municipality_id != municipality_id \
            or version.service_id != service_id:
        abort(404)
    return render_confirmation(municipality_id, submission, version)


def render_confirmation(municipality_id: str, submission: SentCase, version: VersionRow):
    """From the facts stored with the case (`cases.submitting.case_facts`): the fees as
    charged, the institution it went to and the due date, never today's parameters."""
    effective = effective_for_version(runtime_state().catalogue, municipality_id, version)
    if effective is None:
        abort(404)
    fees = charged_fees(submission)
    processing_days = catalogue_facts(effective, current_clock().today()).processing_days
    # the app's own mount point first (request.script_root): url_for would cost some seventy calls
    urls = {"pdf_url": f"{request.script_root}/{municipality_id}/{effective.service.id}/case/"
                       f"{submission.reference}/application.pdf",
            "case_url": url_for("case_page.case_page", municipality_id=municipality_id,
                                reference=submission.reference)}
    drawn = planned_confirmation(effective, submission, fees, processing_days, urls)
    if drawn is not None:
        return drawn
    return render_template(
        "resident/confirmation.html", municipality=effective.municipality, service=effective.service,
        submission=submission, fee_lines=fee_lines(fees) if fees else [], fees=fees,
        payment=payment(effective.municipality, fees) if fees else None, institution=submission.institution,
        pay_by=submission.payment_due_on, due_on=submission.due_on, processing_days=processing_days, **urls)
