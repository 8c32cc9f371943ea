"""The OAuth 2.0 authorization code flow as both our providers use it (OpenID Connect
and eParaksts): the request with state and a PKCE S256 challenge (Authlib's helpers),
`prompt=login` on the first sign-in after a sign-out, the pending values in the signed
session cookie only between redirect and callback, and the callback's checks."""
from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Request, session

from ..identity import SignInFailed, fresh_login_wanted


def authorization_url(pending_key: str, endpoint: str, client_id: str, redirect_uri: str, scope: str,
                      **extra: str) -> str:
    """Where to send the browser; remembers state and verifier (and `extra`'s nonce)."""
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    fresh = fresh_login_wanted()
    session[pending_key] = {"state": state, "verifier": verifier, "fresh": fresh, "started": int(time.time()),
                            **extra}
    if fresh:
        extra["prompt"] = "login"
    return prepare_grant_uri(endpoint, client_id=client_id, response_type="code", redirect_uri=redirect_uri,
                             scope=scope, state=state, code_challenge=create_s256_code_challenge(verifier),
                             code_challenge_method="S256", **extra)


def callback_code(request: Request, pending_key: str) -> tuple[str, dict[str, Any]]:
    """The code the provider sent, checked against this browser's pending sign-in."""
    pending = session.pop(pending_key, None)
    if not isinstance(pending, dict):
        raise SignInFailed("no sign-in was in progress in this browser")
    if request.args.get("error"):
        raise SignInFailed(f"the provider answered {request.args['error'][:60]!r}")
    if not hmac.compare_digest(str(request.args.get("state", "")), pending["state"]):
        raise SignInFailed("the state does not match this browser's sign-in")
    code = request.args.get("code")
    if not code:
        raise SignInFailed("the provider sent no code")
    return code, pending
