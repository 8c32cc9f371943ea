"""RFC 9457 problem details: the one shape of every error the API gives.

`ApiProblem` is raised by the API's views (and by spectree's request validation, through
`on_invalid_request`); `problem_response` writes it. The app's error handlers
(`runtime.errors`) answer with a problem for any path under `/api/`, so a 404 for an
unknown URL, a 405 or a 413 there is a problem too, never an HTML page.
"""
from __future__ import annotations

from typing import Any, Iterable

from flask import Response, json, request

from ...i18n import gettext as _
from .schemas import FieldProblem, Problem

API_PREFIX = "/api/"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ApiProblem(Exception):
    def __init__(self, status: int, code: str, title: str, detail: str | None = None,
                 errors: Iterable[FieldProblem] = (), headers: dict[str, str] | None = None):
        super().__init__(f"{status} {code}")
        self.problem = Problem(type=f"urn:pkip:problem:{code}", title=title, status=status, detail=detail,
                               code=code, errors=list(errors))
        self.headers = headers or {}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(problem.model_dump(mode="json")), status=problem.status,
                        mimetype=PROBLEM_MEDIA_TYPE)
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return response


def handle_api_problem(error: ApiProblem) -> Response:
    return problem_response(error.problem, error.headers)


HTTP_NAMES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
              413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests"}


def http_problem(code: int, title: str, detail: str) -> Response:
    """An HTTP error (unknown URL, wrong method, too large) as a problem; the words for a
    person in a browser (`title`, `detail`) give way to the API's own where it has them."""
    name = HTTP_NAMES.get(code, "client_error" if code < 500 else "server_error")
    own = {404: (_("Not found"), _("There is no such address in this API: /api/v1/openapi.json lists them.")),
           405: (_("Method not allowed"), _("This address does not take this HTTP method: see /api/v1/openapi.json.")),
           413: (_("Too large"), _("The request is larger than this API accepts."))}
    title, detail = own.get(code, (title, detail))
    return problem_response(Problem(title=title, status=code, detail=detail, code=name))


def on_invalid_request(req: Any, resp: Any, error: Any, instance: Any, model_adapter: Any) -> None:
    """spectree's `before` hook: a request its models refuse becomes a 422 problem that
    names each field, instead of spectree's own error list."""
    if error is None:
        return
    problems = [FieldProblem(location=".".join(str(part) for part in item.get("loc", ())) or "request",
                             code=str(item.get("type", "invalid")), message=str(item.get("msg", "")))
                for item in error.errors()]
    raise ApiProblem(422, "invalid_request", _("The request is not valid"),
                     _("Some parts of the request are missing or not in the form this API takes."), problems)


def not_found(detail: str | None = None) -> ApiProblem:
    return ApiProblem(404, "not_found", _("Not found"),
                      detail or _("There is no such case, or this token may not see it."))
