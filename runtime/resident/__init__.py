"""The resident flow: start, question pages, "add another" entries, check your answers,
submission and confirmation, with drafts saved on every page and resumable by link.

Routes (all under `/<municipality>/<service>/`):
  POST start                         create a draft pinned to the current version
  GET  resume/<token>                continue a draft from its resume link
  GET  saved                         the resume link, to come back later
  GET/POST apply/<page>              a question page
  GET/POST apply/<page>/<repeat>/<i> one repeat entry (i == count: a new one)
  GET/POST apply/<page>/<repeat>/<i>/remove
  GET  stop                          a stop rule fired: the service does not apply
  GET/POST check                     check your answers, fees, declaration, submit
  GET  case/<reference>              confirmation with the case reference and payment
"""
from flask import Blueprint, render_template

from .application import Unavailable

resident = Blueprint("resident", __name__, url_prefix="/<municipality_id>/<service_id>")


@resident.errorhandler(Unavailable)
def unavailable(error: Unavailable):
    return render_template("resident/unavailable.html", reason=error.reason), error.code


@resident.app_template_filter("answer")
def answer_filter(value):
    from .summary import format_scalar
    return format_scalar(value)


from . import check, entries, pages, start  # noqa: E402  (the views register on the blueprint)

__all__ = ["resident", "check", "entries", "pages", "start"]
