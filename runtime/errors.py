"""Friendly error pages in the visitor's language, with the right 4xx/5xx status.

Every HTTP error, a failed CSRF check and any unexpected exception end here (under
`/api/` as an RFC 9457 problem in JSON instead of a page); an
unexpected exception is logged (personal codes masked by `runtime.logmask`) and the
visitor sees a plain 500 page, never a traceback.
"""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .i18n import gettext as _
from .web.api.problems import http_problem, is_api_request

log = logging.getLogger(__name__)
FRIENDLY_CODES = (400, 403, 404, 405, 413, 429, 500)


def error_texts(code: int) -> tuple[str, str]:
    """The page title and explanation for an HTTP status."""
    if code == 403:
        return _("You cannot open this page"), _(
            "You do not have permission to see this page. If you think you should, "
            "contact the municipality.")
    if code == 404:
        return _("Page not found"), _(
            "If you typed the web address, check it is correct. "
            "If you pasted the web address, check you copied the entire address.")
    if code == 405:
        return _("This action is not possible here"), _(
            "The page cannot be used this way. Go back and use the buttons on the page.")
    if code == 413:
        return _("The file or form is too large"), _(
            "What you sent is larger than this service accepts. Choose a smaller file and try again.")
    if code == 429:
        return _("Too many attempts"), _(
            "You have tried this too many times in a short while. Wait a few minutes and try "
            "again. What you have already saved has not been lost.")
    if code == 500:
        return _("Sorry, there is a problem with the service"), _(
            "Try again later. What you have already saved has not been lost.")
    return _("The request could not be processed"), _(
        "Something in the request was not right. Go back, reload the page and try again.")


def csrf_texts() -> tuple[str, str]:
    return _("Your session has expired"), _(
        "For your security the form could not be sent. Go back, reload the page and send "
        "it again. Nothing you entered before has been stored from this attempt.")


def render_error(code: int, title: str, message: str, wait_minutes: int | None = None):
    return render_template("error.html", code=code, title=title, message=message, wait_minutes=wait_minutes), code


def handle_http_error(error: HTTPException):
    # The status is kept (a 429 stays a 429); codes without their own page get the
    # general client or server text.
    code = error.code or 500
    texts_for = code if code in FRIENDLY_CODES else (400 if 400 <= code < 500 else 500)
    if is_api_request():     # the API answers every error as a problem, never a page
        return http_problem(code, *error_texts(texts_for))
    body, status = render_error(code, *error_texts(texts_for), wait_minutes=_wait_minutes(error))
    # the exception's own headers (Retry-After of a 429, Allow of a 405) stay on the page
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    return body, status, headers


def _wait_minutes(error: HTTPException) -> int | None:
    seconds = getattr(error, "retry_after", None)
    if isinstance(seconds, int):
        return max(1, -(-seconds // 60))
    return None


def handle_csrf_error(error: CSRFError):
    log.info("CSRF check failed: %s", error.description)
    return render_error(400, *csrf_texts())


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    log.exception("unexpected error while handling a request")
    if is_api_request():
        return http_problem(500, *error_texts(500))
    return render_error(500, *error_texts(500))


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
