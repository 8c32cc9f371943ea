"""Outgoing messages: a municipality's for its municipal admins (and platform admins),
every one for platform admins.

    GET  /staff/<m>/outbox                     pending, failed (last error), dead letters,
                                               50 a page (?pending=N&failed=N&dead=N)
    POST /staff/<m>/outbox/<job>/retry         due now, attempts counted afresh (audited)
    POST /staff/<m>/outbox/<job>/discard       given up on (audited)
    GET  /staff/outbox, POST /staff/outbox/<job>/retry|discard   the same over all (platform admins)
"""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from ...cases.outbox_admin import DEAD, FAILED, PENDING, NothingToDo, OutboxRefused, discard, overview, retry
from ...i18n import gettext as _
from ...state import municipality_or_404, runtime_state
from . import staff
from .session import audit_context, staff_actor, staff_required


@staff.get("/<municipality_id>/outbox")
@staff_required
def outbox(municipality_id: str):
    return _page(municipality_id)


@staff.post("/<municipality_id>/outbox/<int:job_id>/retry")
@staff_required
def outbox_retry(municipality_id: str, job_id: int):
    return _act(retry, municipality_id, job_id)


@staff.post("/<municipality_id>/outbox/<int:job_id>/discard")
@staff_required
def outbox_discard(municipality_id: str, job_id: int):
    return _act(discard, municipality_id, job_id)


@staff.get("/outbox")
@staff_required
def platform_outbox():
    return _page(None)


@staff.post("/outbox/<int:job_id>/retry")
@staff_required
def platform_outbox_retry(job_id: int):
    return _act(retry, None, job_id)


@staff.post("/outbox/<int:job_id>/discard")
@staff_required
def platform_outbox_discard(job_id: int):
    return _act(discard, None, job_id)


def _page(municipality_id: str | None, notice: str | None = None):
    municipality = municipality_or_404(municipality_id) if municipality_id else None
    try:
        groups = overview(runtime_state().database, staff_actor(), municipality_id, _pages_asked())
    except OutboxRefused:
        abort(404)
    return render_template("staff/outbox.html", staff_municipality=municipality, groups=groups, notice=notice)


def _pages_asked() -> dict[str, int]:
    """The page of each group the address asks for; anything not a small whole number is the first."""
    asked = {}
    for group in (PENDING, FAILED, DEAD):
        text = request.args.get(group, "")
        asked[group] = int(text) if text.isdigit() and len(text) <= 7 else 1
    return asked


def _act(action, municipality_id: str | None, job_id: int):
    if municipality_id:
        municipality_or_404(municipality_id)
    try:
        action(runtime_state().database, staff_actor(), audit_context(), municipality_id, job_id)
    except OutboxRefused:
        abort(404)
    except NothingToDo:
        return _page(municipality_id, _("That message is no longer failed or parked: nothing was changed."))
    if municipality_id is None:
        return redirect(url_for("staff.platform_outbox"), 303)
    return redirect(url_for("staff.outbox", municipality_id=municipality_id), 303)
