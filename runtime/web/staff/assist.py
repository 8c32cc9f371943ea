"""Filing in person for a resident (client service centres, VPVKAC; issue 14 part 8).

    GET  /staff/<m>/assist    the form: which service, the person's personal code and name
    POST /staff/<m>/assist    start a draft for the person, then on into the same resident
                              forms the person would fill (`runtime.web.resident`)

Only a client-service-centre clerk of <m> gets either (`access.may_file_for_person`);
anyone else gets 404, as for a page that does not exist.
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from ... import identity, remembered
from ...cases.access import may_apply, Actor, may_file_for_person
from ...cases.assisted import AssistedPerson, AssistRefused, check_person, start_assisted
from ...cases.lookup import CaseNotFound
from ...cases.staff_accounts import token_digest
from ...i18n import current_language, gettext as _
from ...state import municipality_or_404, runtime_state
from ..actor import current_clock
from ..resident.application import set_session_entry
from ..resident.assisted import KEY, sealed_filing
from . import staff
from .session import audit_context, session_token, staff_actor, staff_required


def refusal_messages() -> dict[str, str]:
    return {
        "bad_code": _("Enter a valid Latvian personal code, for example 010190-15267."),
        "missing": _("This must be filled in."),
        "too_long": _("This is too long: at most 50 characters."),
        "no_service": _("Choose a service the municipality offers."),
        "not_for_persons": _("This service is not for persons applying for themselves."),
    }


def person_services(municipality_id: str) -> list:
    """The municipality's services a person may apply for themselves, by title."""
    person = Actor(person_hash="")
    services = [e.service for e in runtime_state().catalogue.enabled_services(municipality_id)
                if may_apply(person, e.service.audience)]
    return sorted(services, key=lambda service: service.id)


def assist_page(municipality_id: str, errors: dict | None = None, form: dict | None = None):
    municipality = municipality_or_404(municipality_id)
    if not may_file_for_person(staff_actor(), municipality_id):
        abort(404)
    return render_template("staff/assist.html", staff_municipality=municipality, errors=errors or {},
                           form=form or {}, services=person_services(municipality_id)), 422 if errors else 200


@staff.get("/<municipality_id>/assist")
@staff_required
def assist(municipality_id: str):
    return assist_page(municipality_id)


@staff.post("/<municipality_id>/assist")
@staff_required
def assist_start(municipality_id: str):
    municipality_or_404(municipality_id)
    form = {name: request.form.get(name, "")[:200] for name in ("service", "personal_code", "given_name", "surname")}
    digits = identity.normalise_personal_code(form["personal_code"]) if len(form["personal_code"]) < 30 else None
    person = AssistedPerson(identity.display_personal_code(digits), identity.person_code_hash(digits),
                            form["given_name"].strip(), form["surname"].strip()) if digits else None
    state = runtime_state()
    try:
        errors = check_person(person, form["given_name"], form["surname"])
        if errors or person is None:
            raise AssistRefused(errors)
        started = start_assisted(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
                                 municipality_id, form["service"], person, current_language())
    except CaseNotFound:
        abort(404)
    except AssistRefused as refused:
        messages = refusal_messages()
        return assist_page(municipality_id, {k: messages.get(v, v) for k, v in refused.errors.items()}, form)
    set_session_entry(municipality_id, form["service"], {
        "draft": str(started.draft_id), "token": started.token,
        KEY: sealed_filing(person, token_digest(session_token() or ""))})
    remembered.remember_draft(started.draft_id)
    ids = {"municipality_id": municipality_id, "service_id": form["service"]}
    if started.stopped:
        return redirect(url_for("resident.stop", **ids), 303)
    if started.first_page:
        return redirect(url_for("resident.question", page_id=started.first_page, **ids), 303)
    return redirect(url_for("resident.check", **ids), 303)
