"""The back-office REST API under /api/v1/ (issue 15 parts 7 and 8), thin like every
blueprint: authenticate the token, check its scope, call a use case in `runtime.cases`,
answer JSON.

    GET  /api/v1/openapi.json                                   the OpenAPI 3.1 document (no token)
    GET  /api/v1/<m>/cases                                      the institution's cases  (cases:read)
    GET  /api/v1/<m>/cases/<reference>                          one case                 (cases:read)
    POST /api/v1/<m>/cases/<reference>/transitions              a process step           (cases:write)
    GET  /api/v1/<m>/cases/<reference>/documents                its documents            (documents:read)
    GET  /api/v1/<m>/cases/<reference>/documents/<id>           one document's file      (documents:read)
    POST /api/v1/<m>/<service>/applications                     file for a resident      (applications:submit)

A token (`Authorization: Bearer pkip_...`) speaks for one institution of one
municipality; a municipality or case it may not see is "not found", as one that does
not exist. Cookies are never read here and never set, so no browser session can act
through the API, and CSRF tokens are not asked for. Every error is a problem
(`problems.py`).

Every request counts against a rate limit (`runtime.cases.ratelimit`, settings `api` and
`api_anonymous`): per token when it presents a valid one, else per client address (the
OpenAPI document, a missing or wrong token), so guessing tokens is slowed as well. Past
the limit the answer is a 429 problem with `Retry-After` in seconds.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Flask, g, jsonify, request

from ...cases.api_tokens import TokenGrant, authenticate
from ...cases.audit import AuditContext
from ...i18n import gettext as _
from ...security import csrf
from ...state import runtime_state
from ...throttle import within_limit
from .problems import ApiProblem, handle_api_problem, not_found
from .spec import document

api = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api)
OPEN_ENDPOINTS = {"api.openapi_document"}


@dataclass(frozen=True)
class Caller:
    grant: TokenGrant

    @property
    def actor(self):
        return self.grant.actor()

    def audit(self) -> AuditContext:
        return AuditContext(actor=f"api:{self.grant.id}", address=request.remote_addr)


def bearer_token() -> str | None:
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def limit_rate(kind: str, client: str) -> None:
    verdict = within_limit(kind, client=client)
    if not verdict.allowed:
        raise ApiProblem(429, "too_many_requests", _("Too many requests"),
                         _("This client has sent more requests than the API takes in a short while. "
                           "Wait the seconds Retry-After gives and try again."),
                         headers={"Retry-After": str(verdict.retry_after)})


@api.before_request
def authenticate_token() -> None:
    grant = None if request.endpoint in OPEN_ENDPOINTS else authenticate(runtime_state().database, bearer_token())
    if grant is not None:
        limit_rate("api", f"token:{grant.id}")
    else:
        limit_rate("api_anonymous", f"address:{request.remote_addr or 'unknown'}")
    if request.endpoint in OPEN_ENDPOINTS:
        return
    if grant is None:
        raise ApiProblem(401, "unauthorized", _("A valid token is needed"),
                         _("Send the institution's API token as `Authorization: Bearer pkip_...`."),
                         headers={"WWW-Authenticate": 'Bearer realm="pkip"'})
    g.api_grant = grant


def caller(scope: str, municipality_id: str) -> Caller:
    """The authenticated caller, if its token has `scope` and belongs to the municipality."""
    grant: TokenGrant = g.api_grant
    if grant.municipality_id != municipality_id:
        raise not_found(_("There is no such municipality for this token."))
    if scope not in grant.scopes:
        raise ApiProblem(403, "insufficient_scope", _("The token may not do this"),
                         _("This needs a token with the scope %(scope)s.", scope=scope))
    return Caller(grant)


@api.get("/openapi.json")
def openapi_document():
    return jsonify(document())


def init_api(app: Flask) -> None:
    """Problems for `ApiProblem` wherever it is raised (the blueprint's own handler
    catches those of its views and hooks)."""
    app.register_error_handler(ApiProblem, handle_api_problem)


api.register_error_handler(ApiProblem, handle_api_problem)

from . import applications, cases  # noqa: E402,F401  (the routes)
