"""Starting, leaving and resuming an application, and the page a stop rule leads to."""
from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from builder.engine import Context, evaluate, evaluate_page
from flask import abort, redirect, render_template, request, url_for

from ... import identity, remembered
from ...i18n import current_language, text_for
from ...state import runtime_state
from ...sync import kept_version_id
from ...throttle import enforce
from ..actor import current_actor, current_clock
from . import resident
from .application import (
    Unavailable, current_effective_or_404, load_application, session_entry, set_session_entry, today,
)
from ...cases.access import may_apply, may_see_draft
from ...cases.drafts import ResumeLookup, create_draft, find_resume_token, load_draft, rotate_resume_token
from .navigation import CHECK, first_page
from .pages import page_url


@resident.post("/start")
def start(municipality_id: str, service_id: str):
    effective = current_effective_or_404(municipality_id, service_id)
    state = runtime_state()
    version_id = kept_version_id(state.database, effective.service)
    if version_id is None:   # the definition is not stored yet (start-up sync turned off)
        abort(404)
    actor = current_actor()
    if not may_apply(actor, effective.service.audience):
        raise Unavailable("audience", 403)
    person = identity.current_person()
    outcome = start_outcome(effective, Context(today=today(), person=person, language=current_language()))
    draft, token = create_draft(state.database, municipality_id=municipality_id, version_id=version_id,
                                first_page=first_page(outcome), person_code_hash=actor.person_hash,
                                acting_for=actor.acting_for)
    set_session_entry(municipality_id, service_id, {"draft": str(draft.id), "token": token})
    remembered.remember_draft(draft.id)
    if outcome.stop is not None:
        return redirect(url_for("resident.stop", municipality_id=municipality_id, service_id=service_id))
    return redirect(url_for("resident.question", municipality_id=municipality_id, service_id=service_id,
                            page_id=first_page(outcome)) if first_page(outcome) else
                    url_for("resident.check", municipality_id=municipality_id, service_id=service_id))


def start_outcome(effective: Any, context: Context) -> Any:
    """What "Start now" needs of the empty answers, their visible pages and a stop rule:
    the first page's evaluation (`evaluate_page`: relevance as a whole and every stop
    rule, without fees, route and the other pages' checks) gives the full evaluation's
    (tests/builder/test_engine_pages.py, tests/runtime/test_start_outcome.py)."""
    pages = effective.service.pages
    return evaluate_page(effective, {}, context, pages[0].id) if pages else evaluate(effective, {}, context)


@resident.route("/resume", methods=["GET", "POST"])
def resume_form(municipality_id: str, service_id: str):
    """Where a resume link leads: `/resume#<token>`. The token is in the fragment, which a
    browser never sends: it reaches no access log, no proxy and no Referer. The page's
    script puts it into the form and sends it (POST, with a CSRF token); without
    JavaScript the resident pastes the code the "saved" page showed."""
    effective = current_effective_or_404(municipality_id, service_id)
    if request.method == "GET":
        return render_template("resident/resume.html", municipality=effective.municipality, service=effective.service)
    return resume_with(municipality_id, service_id, request.form.get("code", "").strip())


@resident.get("/resume/<token>")
def resume(municipality_id: str, service_id: str, token: str):
    """Links made before the token moved into the fragment: they work until they expire."""
    current_effective_or_404(municipality_id, service_id)
    return resume_with(municipality_id, service_id, token)


def resume_with(municipality_id: str, service_id: str, token: str):
    enforce("resume")
    database = runtime_state().database
    valid_for = timedelta(days=runtime_state().settings.limits.resume_link_days)
    found = find_resume_token(database, token, now=current_clock().now(), valid_for=valid_for) \
        if 0 < len(token) < 100 else ResumeLookup(None)
    if found.expired:
        raise Unavailable("expired", 410)
    loaded = load_draft(database, found.draft_id) if found.draft_id else None
    if loaded is None:
        raise Unavailable("link")
    draft, version = loaded
    if draft.municipality_id != municipality_id or version.service_id != service_id:
        raise Unavailable("link")
    if draft.person_code_hash is not None and draft.person_code_hash != identity.current_person_hash():
        # a signed-in person's draft (their name, their code) opens only after their sign-in
        own = url_for("resident.resume_own", municipality_id=municipality_id, service_id=service_id,
                      draft_id=draft.id)
        return redirect(url_for("auth.signin", next=own))
    fresh = rotate_resume_token(database, draft.id, token)     # the link works once
    if fresh is None:
        raise Unavailable("link")
    set_session_entry(municipality_id, service_id, {"draft": str(draft.id), "token": fresh})
    remembered.remember_draft(draft.id)
    return resume_session(municipality_id, service_id)     # a clean address: the page itself


@resident.get("/drafts/<uuid:draft_id>")
def resume_own(municipality_id: str, service_id: str, draft_id: uuid.UUID):
    """A signed-in person continues one of their own drafts (linked from "my
    applications"); a draft of anybody else is the same 404 as one that does not exist."""
    current_effective_or_404(municipality_id, service_id)
    actor = current_actor()
    if not actor.signed_in:
        return redirect(url_for("auth.signin", next=request.path))
    loaded = load_draft(runtime_state().database, draft_id)
    if loaded is None or not may_see_draft(actor, loaded[0]):
        raise Unavailable("missing")
    draft, version = loaded
    if draft.municipality_id != municipality_id or version.service_id != service_id:
        raise Unavailable("missing")
    known = session_entry(municipality_id, service_id)
    token = known.get("token") if known.get("draft") == str(draft.id) else None
    set_session_entry(municipality_id, service_id, {"draft": str(draft.id), **({"token": token} if token else {})})
    remembered.remember_draft(draft.id)
    return resume_session(municipality_id, service_id)


@resident.get("/continue")
def resume_session(municipality_id: str, service_id: str):
    """Back to where the browser's draft was left."""
    application = load_application(municipality_id, service_id)
    outcome = application.evaluate()
    if application.current_page == CHECK:
        return redirect(page_url(application, None))
    target = application.current_page if application.current_page in outcome.visible_pages else first_page(outcome)
    return redirect(page_url(application, target))


@resident.get("/saved")
def saved(municipality_id: str, service_id: str):
    application = load_application(municipality_id, service_id)
    resumed = application.current_page
    token = session_entry(municipality_id, service_id).get("token")
    # a draft continued from "my applications" has no resume link here: the list is the way back
    link = url_for("resident.resume_form", municipality_id=municipality_id, service_id=service_id,
                   _external=True, _anchor=token) if token else None
    return render_template("resident/saved.html", municipality=application.municipality, service=application.service,
                           link=link, code=token, valid_days=runtime_state().settings.limits.resume_link_days,
                           back_url=page_url(application, resumed if resumed != CHECK else None))


@resident.get("/stop")
def stop(municipality_id: str, service_id: str):
    application = load_application(municipality_id, service_id)
    outcome = application.evaluate()
    current = application.current_page if application.current_page in outcome.visible_pages else None
    if outcome.stop is None:
        return redirect(page_url(application, current))
    return render_template("resident/stop.html", municipality=application.municipality, service=application.service,
                           message=text_for(outcome.stop.message),
                           back_url=page_url(application, current) if current else None)
