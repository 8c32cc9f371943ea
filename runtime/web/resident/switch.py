"""The language switch on a page of answers, POST-redirect-GET: the post keeps what was
typed (valid or not) for one GET of the same page in this browser session, then
redirects to it, so refreshing the page shown in the new language asks nothing again.
The typed values are kept in the server-side session (runtime/sessionstore.py), only
those of the page's own fields, and taken out by the page's next GET."""
from __future__ import annotations

from flask import redirect, request, session, url_for
from werkzeug.datastructures import MultiDict

KEPT = "typed_before_switch"


def _where(draft_id: object) -> str:
    return f"{draft_id}:{request.path}"


def _typed(form) -> list[tuple[str, str]]:
    """The posted values of the form's own fields (a date's day, month and year too)."""
    names = tuple(name for name in form._fields if name != "csrf_token")
    parts = tuple(f"{name}-" for name in names)
    return [(key, value) for key in request.form if key in names or key.startswith(parts)
            for value in request.form.getlist(key)]


def redirect_after_switch(draft_id: object, form):
    """Keep what was typed on this page and send the browser to the same page again."""
    session[KEPT] = {"where": _where(draft_id), "fields": _typed(form)}
    return redirect(url_for(request.endpoint, **(request.view_args or {}), **request.args.to_dict()), code=303)


def typed_form(draft_id: object, form_class):
    """The form filled with what was typed before a switch on this page, once; else None."""
    kept = session.get(KEPT) if KEPT in session else None
    if not kept or kept.get("where") != _where(draft_id):
        return None
    session.pop(KEPT)
    return form_class(formdata=MultiDict(kept["fields"]))
