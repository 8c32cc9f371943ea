"""Staff sign-in and sign-out, and the start page listing where the member works.

    GET  /staff/signin?next=...   the e-mail and password form
    POST /staff/signin            check, then a staff session cookie and on to `next`
    POST /staff/signout           end the session (a form with a CSRF token)
    GET  /staff/                  the member's roles, with links to their inboxes
"""
from __future__ import annotations

from flask import make_response, redirect, render_template, request, url_for

from ...cases.audit import AuditContext, record_now
from ...cases.staff_accounts import MAX_PASSWORD, end_session, sign_in
from ...i18n import gettext as _
from ...security import local_path
from ...state import runtime_state
from ..actor import current_clock
from . import staff
from .session import clear_session_cookie, current_member, session_token, set_session_cookie, staff_required


@staff.get("/signin")
def signin():
    return render_template("staff/signin.html", errors={}, email="", next_url=_next())


@staff.post("/signin")
def signin_submit():
    email, password = request.form.get("email", "")[:254], request.form.get("password", "")[:MAX_PASSWORD]
    result = sign_in(runtime_state().database, email, password, current_clock())
    if result.member is None:
        message = (_("This account is locked for 15 minutes after too many wrong passwords.") if result.locked
                   else _("The e-mail address or the password is not right."))
        page = render_template("staff/signin.html", errors={"email": message}, email=email, next_url=_next())
        return page, 401
    for municipality_id in result.member.municipalities() or (None,):
        record_now(runtime_state().database, AuditContext(f"staff:{result.member.id}", request.remote_addr),
                   "staff.signin", municipality_id=municipality_id, object_type="staff_user",
                   object_id=str(result.member.id))
    response = make_response(redirect(_next() or url_for("staff.home")))
    set_session_cookie(response, result.token or "")
    return response


@staff.post("/signout")
def signout():
    end_session(runtime_state().database, session_token())
    response = make_response(redirect(url_for("staff.signin")))
    clear_session_cookie(response)
    return response


@staff.get("/")
@staff_required
def home():
    member = current_member()
    catalogue = runtime_state().catalogue
    return render_template("staff/home.html", member=member, municipalities=catalogue.municipalities)


def _next() -> str | None:
    """Back to the staff page that asked for a sign-in, never anywhere else."""
    wanted = local_path(request.values.get("next"))
    return wanted if wanted and wanted.startswith("/staff/") else None
