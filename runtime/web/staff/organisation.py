"""Staff sign-in through the organisation's OpenID Connect provider (`staff_oidc_*`
settings), on the same client code as the residents' (`runtime.auth.oidc.OIDCProvider`,
its own pending key and callback).

    GET /staff/signin/oidc            on to the provider (state, nonce, PKCE S256)
    GET /staff/signin/oidc/callback   back: the verified e-mail claim must name an enabled,
                                      unlocked staff account (none is ever created here)

What it gives is the staff session of `session.py`, as a password sign-in does; the
resident's session is left as it was (no person is signed in by it). Without the
settings both routes are 404 and the sign-in form offers no button.
"""
from __future__ import annotations

import logging

from flask import abort, make_response, redirect, render_template, request, session, url_for

from ...auth import staff_provider
from ...cases.audit import AuditContext, record_now
from ...cases.staff_accounts import SignInResult, sign_in_by_organisation
from ...i18n import gettext as _
from ...identity import SignInFailed, SignInUnavailable
from ...security import local_path
from ...state import runtime_state
from ..actor import current_clock
from . import staff
from .session import set_session_cookie

log = logging.getLogger(__name__)
NEXT_KEY = "staff_oidc_next"


def _refused(message: str, status: int):
    page = render_template("staff/signin.html", errors={"organisation": message}, email="", next_url=None)
    return page, status


@staff.get("/signin/oidc")
def oidc_signin():
    provider = staff_provider() or abort(404)
    wanted = local_path(request.args.get("next"))
    session[NEXT_KEY] = wanted if wanted and wanted.startswith("/staff/") else None
    try:
        return redirect(provider.login_url(""))
    except SignInFailed as failure:
        log.warning("staff sign-in with the organisation: %s", failure.reason)
        return _refused(_("Signing in with your organisation is not possible just now. Try again later, "
                          "or sign in with your password."), 503)


@staff.get("/signin/oidc/callback")
def oidc_callback():
    provider = staff_provider() or abort(404)
    try:
        claims, _id_token = provider.completed_claims(request)
    except SignInFailed as failure:
        unavailable = isinstance(failure, SignInUnavailable)
        log.log(logging.WARNING if unavailable else logging.INFO, "staff sign-in with the organisation: %s",
                failure.reason)
        if unavailable:
            return _refused(_("Signing in with your organisation is not possible just now. Try again later, "
                              "or sign in with your password."), 503)
        return _refused(_("The sign-in with your organisation did not succeed. Try again."), 401)
    result = _account_of(claims, provider.client.claim)
    if result.member is None:
        log.info("staff sign-in with the organisation: no enabled staff account for the claim")
        return _refused(_("This account is locked for 15 minutes after too many wrong passwords.") if result.locked
                        else _("Your organisation's account has no staff account here, or it is disabled. "
                               "Ask your municipality's administrator."), 401)
    for municipality_id in result.member.municipalities() or (None,):
        record_now(runtime_state().database, AuditContext(f"staff:{result.member.id}", request.remote_addr),
                   "staff.signin", municipality_id=municipality_id, object_type="staff_user",
                   object_id=str(result.member.id), via="oidc")
    response = make_response(redirect(session.pop(NEXT_KEY, None) or url_for("staff.home")))
    set_session_cookie(response, result.token or "")
    return response


def _account_of(claims: dict, claim: str) -> SignInResult:
    """The staff account the claim names; an address the provider says it has not
    verified (`email_verified: false`) names none."""
    if claims.get("email_verified") is False:
        return SignInResult()
    address = claims.get(claim)
    return sign_in_by_organisation(runtime_state().database, address if isinstance(address, str) else "",
                                   current_clock())
