"""The staff session: its own cookie (`pkip_staff`, path /staff, HttpOnly, SameSite=Strict),
separate from the residents' session, holding a random token whose hash is a row in
`staff_sessions`. A resident's sign-in never counts on a staff page, nor a staff
sign-in on a resident's page."""
from __future__ import annotations

import functools
from typing import Any, Callable

from flask import abort, g, redirect, request, url_for

from ...cases.access import Actor
from ...cases.audit import AuditContext
from ...cases.staff_accounts import SESSION_HOURS, StaffMember, member_for_session
from ...security import local_path
from ...state import runtime_state
from ..actor import current_clock

COOKIE = "pkip_staff"
COOKIE_PATH = "/staff"


def session_token() -> str | None:
    return request.cookies.get(COOKIE)


def current_member() -> StaffMember | None:
    if "staff_member" not in g:
        g.staff_member = member_for_session(runtime_state().database, session_token(), current_clock())
    return g.staff_member


def staff_actor() -> Actor:
    member = current_member()
    return member.actor() if member is not None else Actor()


def audit_context() -> AuditContext:
    member = current_member()
    return AuditContext(actor=f"staff:{member.id}" if member else "anonymous", address=request.remote_addr)


def set_session_cookie(response: Any, token: str) -> None:
    response.set_cookie(COOKIE, token, max_age=SESSION_HOURS * 3600, path=COOKIE_PATH, httponly=True,
                        samesite="Strict", secure=runtime_state().settings.secure_cookies)


def clear_session_cookie(response: Any) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="Strict",
                           secure=runtime_state().settings.secure_cookies)


def staff_required(view: Callable) -> Callable:
    """Anonymous callers go to the sign-in form and come back; a member of staff who is
    not in the municipality of the URL gets 404, as for a page that does not exist."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        member = current_member()
        if member is None:
            back = local_path(request.full_path if request.method == "GET" else None)
            return redirect(url_for("staff.signin", next=back))
        municipality_id = kwargs.get("municipality_id")
        if municipality_id is not None and municipality_id not in member.municipalities():
            abort(404)
        return view(*args, **kwargs)
    return wrapped
