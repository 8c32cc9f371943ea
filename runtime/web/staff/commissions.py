"""Commission sessions: the commissions a member works on, a session's agenda, votes,
decisions and minutes. Thin: `cases.commissions` and `cases.commission_votes` decide.

    GET  /staff/<m>/commissions                                    the commissions and their sessions
    POST /staff/<m>/commissions/<commission_id>/sessions           a new session (clerks)
    GET  /staff/<m>/sessions/<session_id>                          the agenda and the votes
    POST /staff/<m>/sessions/<session_id>/agenda                   put a case on the agenda (clerks)
    POST /staff/<m>/sessions/<session_id>/items/<item_id>/vote     a member's vote
    POST /staff/<m>/sessions/<session_id>/items/<item_id>/decide   record the outcome (members)
    POST /staff/<m>/sessions/<session_id>/close                    close; the minutes are rendered (clerks)
    GET  /staff/<m>/sessions/<session_id>/minutes.pdf              the minutes (audited)
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, send_file, url_for

from ...cases.caseflow import CaseActionRefused
from ...cases.commission_votes import add_to_agenda, cast_vote, open_session, record_decision
from ...cases.commissions import SessionNotFound, close_session, commission_places, create_session, minutes_of
from ...i18n import gettext as _
from ...state import municipality_or_404, runtime_state
from ..actor import current_clock
from ..downloads import DOWNLOAD_HEADERS
from . import staff
from .casefile import refusal_messages
from .session import audit_context, staff_actor, staff_required


def commission_messages() -> dict[str, str]:
    return {**refusal_messages(),
            "closed": _("The session is closed: nothing more can be added, voted or decided."),
            "not_on_offer": _("Choose a case and a step from the list: this case is not waiting for the commission."),
            "on_agenda": _("This case is on another open session's agenda already."),
            "decided": _("The outcome of this item is recorded already."),
            "bad_vote": _("Choose for, against or abstain.")}


def _words(codes: dict[str, str]) -> dict[str, str]:
    messages = commission_messages()
    return {name: messages.get(code, code) for name, code in codes.items()}


@staff.get("/<municipality_id>/commissions")
@staff_required
def commissions(municipality_id: str, errors: dict | None = None, form: dict | None = None):
    municipality = municipality_or_404(municipality_id)
    state = runtime_state()
    try:
        places = commission_places(state.database, state.catalogue, staff_actor(), municipality_id)
    except SessionNotFound:
        abort(404)
    return render_template("staff/commissions.html", staff_municipality=municipality, places=places,
                           errors=errors or {}, form=form or {}), 422 if errors else 200


@staff.post("/<municipality_id>/commissions/<commission_id>/sessions")
@staff_required
def new_session(municipality_id: str, commission_id: str):
    state = runtime_state()
    try:
        session_id = create_session(state.database, state.catalogue, staff_actor(), current_clock(), audit_context(),
                                    municipality_id, commission_id, request.form.get("held_on", ""),
                                    request.form.get("place", ""))
    except SessionNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return commissions(municipality_id, errors=_words(refusal.errors),
                           form={**request.form.to_dict(), "commission": commission_id})
    return redirect(url_for("staff.commission_session", municipality_id=municipality_id, session_id=session_id), 303)


@staff.get("/<municipality_id>/sessions/<int:session_id>")
@staff_required
def commission_session(municipality_id: str, session_id: int, errors: dict | None = None, form: dict | None = None):
    municipality = municipality_or_404(municipality_id)
    state = runtime_state()
    try:
        view = open_session(state.database, state.catalogue, staff_actor(), municipality_id, session_id)
    except SessionNotFound:
        abort(404)
    member_id = staff_actor().staff_user_id
    return render_template("staff/commission_session.html", staff_municipality=municipality, view=view,
                           services=state.catalogue.services, member_id=member_id, errors=errors or {},
                           form=form or {}), 422 if errors else 200


def _after(municipality_id: str, session_id: int, action, anchor: str = ""):
    """Run `action`; back to the session page (303), or the page with the refusal (422)."""
    try:
        action()
    except SessionNotFound:
        abort(404)
    except CaseActionRefused as refusal:
        return commission_session(municipality_id, session_id, errors=_words(refusal.errors),
                                  form=request.form.to_dict())
    return redirect(url_for("staff.commission_session", municipality_id=municipality_id, session_id=session_id)
                    + anchor, 303)


@staff.post("/<municipality_id>/sessions/<int:session_id>/agenda")
@staff_required
def session_agenda(municipality_id: str, session_id: int):
    state = runtime_state()
    return _after(municipality_id, session_id, lambda: add_to_agenda(
        state.database, state.catalogue, staff_actor(), current_clock(), audit_context(), municipality_id, session_id,
        request.form.get("case", ""), request.form.get("motion", "")), "#agenda")


@staff.post("/<municipality_id>/sessions/<int:session_id>/items/<int:item_id>/vote")
@staff_required
def session_vote(municipality_id: str, session_id: int, item_id: int):
    state = runtime_state()
    return _after(municipality_id, session_id, lambda: cast_vote(
        state.database, state.catalogue, staff_actor(), current_clock(), audit_context(), municipality_id, session_id,
        item_id, request.form.get("vote", "")), f"#item-{item_id}")


@staff.post("/<municipality_id>/sessions/<int:session_id>/items/<int:item_id>/decide")
@staff_required
def session_decide(municipality_id: str, session_id: int, item_id: int):
    state = runtime_state()
    return _after(municipality_id, session_id, lambda: record_decision(
        state.database, state.catalogue, staff_actor(), current_clock(), audit_context(), municipality_id, session_id,
        item_id), f"#item-{item_id}")


@staff.post("/<municipality_id>/sessions/<int:session_id>/close")
@staff_required
def session_close(municipality_id: str, session_id: int):
    state = runtime_state()
    return _after(municipality_id, session_id, lambda: close_session(
        state.database, state.catalogue, staff_actor(), current_clock(), audit_context(), municipality_id,
        session_id))


@staff.get("/<municipality_id>/sessions/<int:session_id>/minutes.pdf")
@staff_required
def session_minutes(municipality_id: str, session_id: int):
    state = runtime_state()
    try:
        minutes = minutes_of(state.database, state.catalogue, staff_actor(), audit_context(), municipality_id,
                             session_id)
    except SessionNotFound:
        abort(404)
    path = (state.settings.instance_path / minutes.path).resolve()
    if state.settings.instance_path.resolve() / "documents" not in path.parents or not path.is_file():
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=f"protokols-{minutes.commission_id}-{minutes.held_on.isoformat()}.pdf")
    response.headers.update(DOWNLOAD_HEADERS)
    return response
