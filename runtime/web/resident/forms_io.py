"""Between a posted form and the answers: refuse tampered values, merge the posted
values into the stored answers, keep read-only prefilled fields as the server says."""
from __future__ import annotations

from typing import Any

from builder.model import Field
from flask import abort
from flask_wtf import FlaskForm

from ...forms.naming import html_name
from ...forms.parse import posted_values
from .answers import get_path, locked_fields, prefill_value, with_values
from .fieldviews import display_value

YES_NO = {"yes", "no"}


def checked_values(form: FlaskForm, effective) -> dict[str, Any]:
    """The posted values; a 400 when a choice names an option the service never offers
    (no form we drew can send that: the post was made by hand). An option that exists
    but is filtered out by the answers is left to the engine, which says so."""
    values = posted_values(form)
    for field in form.model_leaves:
        value = values.get(field.path)
        if field.type in ("choice", "multi_choice", "yes_no") and value not in (None, "", []):
            allowed = YES_NO if field.type == "yes_no" else {o.value for o in effective.options(field)}
            chosen = value if isinstance(value, list) else [value]
            if not set(chosen) <= allowed:
                abort(400)
    return values


def with_locked(answers: dict[str, Any], application) -> dict[str, Any]:
    """`answers` with every read-only prefilled field set from its source."""
    return with_values(answers, locked_fields(application.service, application.prefill_sources()))


def stored_display(application, answers: dict[str, Any], base: str = ""):
    """A `value_of(field)` that shows stored answers, or the prefill for an unanswered
    field (`base` is the entry's stored mapping path on an entry page)."""
    sources = application.prefill_sources()

    def value_of(field: Field) -> Any:
        relative = field.path.removeprefix(base)
        stored = get_path(answers, relative)
        if stored is None and not base:
            stored = prefill_value(field, sources)
        return display_value(field, stored)

    return value_of


def posted_display(form: FlaskForm, locked: dict[str, Any], fallback):
    """A `value_of(field)` that shows what was posted (to re-show a form with errors);
    files and locked fields show what is stored."""
    def value_of(field: Field) -> Any:
        if field.type == "file" or field.path in locked:
            return fallback(field)
        data = form[html_name(field.path)].data
        if field.type == "multi_choice":
            return list(data or [])
        return data if data is not None else ("" if field.type != "date" else {})

    return value_of
