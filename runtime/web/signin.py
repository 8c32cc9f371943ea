"""Sign-in and sign-out routes.

    GET  /signin/?next=/riga/...       the sign-in methods on offer
    GET  /signin/oidc?next=...         redirect to the OpenID Connect provider
    GET  /signin/oidc/callback         the provider's answer: verify, sign in, go to `next`
    GET  /signin/eparaksts?next=..., GET /signin/eparaksts/callback   likewise, eParaksts
    GET  /signin/latvija?next=...      redirect to latvija.lv (WS-Federation wsignin1.0)
    POST /signin/latvija/callback      its cross-site POST: verify the assertion (no CSRF token:
                                       see the view), then 303 to
    GET  /signin/latvija/finish        same-site: check this browser started it, sign in
    GET  /signin/dev, POST /signin/dev the development sign-in form (404 unless enabled)
    POST /signout                      sign out (a form with a CSRF token, never a GET link);
                                       then on to the provider to end its session, if it can

`next` is kept only when it is a path on this site, so a sign-in link cannot send a
resident to another site afterwards.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from ..auth import providers
from ..cases.drafts import claim_drafts
from ..identity import (IdentityProvider, SignInFailed, SignInStale, SignInUnavailable, provider_logout_url,
                        sign_in, sign_out)
from ..remembered import held_drafts
from ..security import csrf, local_path
from ..state import runtime_state
from ..throttle import enforce
from .acting import offer_children
from .actor import current_actor

log = logging.getLogger(__name__)
auth = Blueprint("auth", __name__)
NEXT_KEY = "signin_next"


def provider_or_404(provider_id: str) -> IdentityProvider:
    found = providers().get(provider_id)
    if found is None:
        abort(404)
    return found


def safe_next(url: str | None) -> str:
    """`url` when it is a path of this site (`security.local_path`), else the person's
    applications."""
    return local_path(url) or url_for("account.my_applications")


@auth.get("/signin/")
def signin():
    next_url = safe_next(request.args.get("next"))
    return render_template("account/signin.html", providers=providers(), next_url=next_url)


def _start(provider: IdentityProvider):
    """Remember where to go afterwards and send the browser to the provider."""
    next_url = safe_next(request.args.get("next"))
    try:
        url = provider.login_url(next_url)
    except SignInFailed as failure:  # the provider is unreachable or misconfigured
        return refused(provider, failure)
    session[NEXT_KEY] = next_url
    return redirect(url)


@auth.get("/signin/oidc")
def oidc_start():
    return _start(provider_or_404("oidc"))


@auth.get("/signin/oidc/callback")
def oidc_callback():
    return _complete(provider_or_404("oidc"))


@auth.get("/signin/eparaksts")
def eparaksts_start():
    return _start(provider_or_404("eparaksts"))


@auth.get("/signin/eparaksts/callback")
def eparaksts_callback():
    return _complete(provider_or_404("eparaksts"))


@auth.get("/signin/latvija")
def latvija_start():
    return _start(provider_or_404("latvija"))


@auth.post("/signin/latvija/callback")
@csrf.exempt
def latvija_callback():
    """latvija.lv POSTs the assertion here from its own site: no SameSite session cookie
    and no CSRF token can come along. The assertion is verified on its own (signature,
    audience, validity, replay), then a same-site GET to `finish` checks that this browser
    started the sign-in (the sealed wctx), which is what a CSRF token would prove."""
    provider = provider_or_404("latvija")
    enforce("signin")
    try:
        sealed = provider.accept_post(request.form)
    except SignInFailed as failure:
        return refused(provider, failure)
    return redirect(url_for("auth.latvija_finish", result=sealed), 303)


@auth.get("/signin/latvija/finish")
def latvija_finish():
    return _complete(provider_or_404("latvija"))


@auth.route("/signin/dev", methods=["GET", "POST"])
def dev_signin():
    provider = provider_or_404("dev")
    if request.method == "GET":
        session[NEXT_KEY] = safe_next(request.args.get("next"))
        return render_template("account/dev_signin.html", errors={}, form={})
    return _complete(provider)


def refused(provider: IdentityProvider, failure: SignInFailed):
    """The page for a sign-in that did not succeed: 503 and "not your fault" when the
    service is at fault, 400 and "we could not confirm who you are" otherwise."""
    unavailable = isinstance(failure, SignInUnavailable)
    log.log(logging.WARNING if unavailable else logging.INFO, "sign-in with %s %s: %s", provider.id,
            "unavailable" if unavailable else "refused", failure.reason)
    return render_template("account/signin_failed.html", unavailable=unavailable,
                           stale=isinstance(failure, SignInStale)), 503 if unavailable else 400


def _complete(provider: IdentityProvider):
    enforce("signin")     # every provider's answer, and each try of the dev form
    try:
        person = provider.complete(request)
    except SignInFailed as failure:
        errors = getattr(failure, "errors", None)
        if errors is not None:
            return render_template("account/dev_signin.html", errors=errors, form=request.form), 400
        return refused(provider, failure)
    next_url = safe_next(session.pop(NEXT_KEY, None))
    sign_in(person, provider.id)
    log.info("a resident signed in with %s", provider.id)
    if offer_children():
        # whom they act for is asked first; the drafts this browser holds become theirs
        # for the party they choose there
        return redirect(url_for("acting.choose", next=next_url))
    actor = current_actor()
    claim_drafts(runtime_state().database, held_drafts(), actor.person_hash, actor.acting_for)
    return redirect(next_url)


@auth.post("/signout")
def signout():
    """End our session, then the provider's when it offers that (so that the next person
    at a shared computer is asked to log in rather than becoming this one)."""
    via, hint = sign_out()
    provider = providers().get(via)
    ending = provider_logout_url(provider, hint, url_for("public.index", _external=True)) if provider else None
    if not ending:
        return redirect(url_for("public.index"))
    # A page, not a redirect: the CSP's form-action 'self' rightly stops a form's
    # redirect to another site, and the page tells the resident what happens next.
    return render_template("account/signed_out.html", provider_logout=ending)
