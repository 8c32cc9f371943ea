"""The resident flow: start, question pages, "add another" entries, check your answers,
submission and confirmation, with drafts saved on every page and resumable by link.

Routes (all under `/<municipality>/<service>/`):
  POST start                         create a draft pinned to the current version
  GET/POST resume                    a resume link (`resume#<token>`: the token in the
                                     fragment, sent by the page's form) continues a draft
  GET  resume/<token>                resume links made before the fragment (until they expire)
  GET  saved                         the resume link, to come back later
  GET/POST apply/<page>              a question page
  GET/POST apply/<page>/<repeat>/<i> one repeat entry (i == count: a new one)
  GET/POST apply/<page>/<repeat>/<i>/remove
  POST apply/<page>/reveal, apply/<page>/<repeat>/<i>/reveal
                                     which questions the answers so far show (reveal.py, for form.js)
  GET  stop                          a stop rule fired: the service does not apply
  GET/POST check                     check your answers, fees, declaration, submit
  GET  case/<reference>              confirmation with the case reference and payment

Decisions:
- The engine is the only judge of validity: every post re-evaluates the whole application;
  WTForms parses the post (and Flask-WTF checks CSRF). A choice value the service never
  offers is a tampered post (400); one filtered out by other answers is a field error.
- A draft keeps partial answers, but each save stores `to_json(outcome.values)`: anything a
  condition hides, and anything that is not a value of its field's type, is dropped.
- Questions that react on the same page (the GOV.UK conditional reveal): a field whose
  condition reads an answer on the same form is drawn even while hidden, with `hidden`,
  and a list filtered by such an answer has its filtered-out options drawn hidden; form.js
  posts the answers so far to `reveal` and shows or hides them by the engine's answer.
  Without JavaScript the page is re-drawn after "Continue", and a question the resident
  could not see is then shown as new, not as an error (`pkip-drawn-hidden`). Fields hidden
  by the municipality's settings or by answers elsewhere are not drawn at all.
- Submitting deletes the draft in the transaction that stores the submission: a second
  press finds no draft and cannot make a second case, and no personal data lingers in drafts.
"""
from urllib.parse import urlencode

from flask import Blueprint, render_template, request

from .application import Unavailable
from .copy_plans import copy_button
from .plans import planned_field

resident = Blueprint("resident", __name__, url_prefix="/<municipality_id>/<service_id>")
resident.add_app_template_global(planned_field, "planned_field")   # the field macros' render plans
resident.add_app_template_global(copy_button, "copy_button")     # the how-to-pay list's copy buttons, planned


def form_action() -> str:
    """This page's own URL as a form's explicit `action`: without one a browser posts to
    the address bar's URL, fragment and all, so "#dogs-chip" from an error link would
    follow the resident to the next page. Only `return` is kept: `lang` was settled."""
    current = request._get_current_object()       # the proxy read once, the arguments only if there are any
    kept = [(key, value) for key, value in current.args.items(multi=True) if key == "return"] \
        if current.query_string else []
    return current.script_root + current.path + (f"?{urlencode(kept)}" if kept else "")


resident.add_app_template_global(form_action, "form_action")


@resident.errorhandler(Unavailable)
def unavailable(error: Unavailable):
    return render_template("resident/unavailable.html", reason=error.reason), error.code


from . import check, entries, pages, reveal, start  # noqa: E402  (the views register on the blueprint)

__all__ = ["resident", "check", "entries", "pages", "reveal", "start"]
