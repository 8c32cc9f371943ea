"""Form classes from the compiled model, built once per (service version, page or repeat).

Building a class walks the model and creates WTForms unbound fields; doing that on every
request would cost as much as the rest of the page, so classes are cached by the
service's source hash (one per published version) and the page id or repeat path. The
classes hold no municipality- or answer-dependent data: choice options are worked out per
request, and every value is checked by the engine (`builder.engine.evaluate`), which is
the single authority on what is valid. WTForms parses the post (text, the three date
inputs, lists of checkboxes, files).

The forms carry no CSRF field of their own: `CSRFProtect` (runtime/security.py) checks
every POST before a view runs and these forms are never `validate`d, so a token field
only signed a token (about 180 calls) that a redirect then threw away. A page shown
again with its errors draws the token's input from `csrf_input`, the same token.
"""
from __future__ import annotations

import threading
from typing import Iterator

from builder.model import Field, Page, Service
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import (
    FileField, FormField, MultipleFileField, SelectMultipleField, StringField, TextAreaField,
)

from ..csrf_tokens import csrf_input
from .naming import html_name

_cache: dict[tuple[str, str, str], type[FlaskForm]] = {}
_lock = threading.Lock()


class DateParts(Form):
    """A date as three inputs (GOV.UK date input): named `<field>-day` and so on."""

    day = StringField()
    month = StringField()
    year = StringField()


class AnswersForm(FlaskForm):
    """A page's or an entry's form: Flask-WTF's reading of the request (form and files),
    no CSRF field (see above); `csrf_token` is the hidden input a drawn form needs."""

    class Meta:
        csrf = False

    @property
    def csrf_token(self):
        return csrf_input()


def leaves(fields: tuple[Field, ...]) -> Iterator[Field]:
    """The fields that have inputs: groups are opened, repeats are not (each repeat
    entry has its own form)."""
    for field in fields:
        if field.type == "group":
            yield from leaves(field.children)
        elif field.type != "repeat":
            yield field


def repeats(fields: tuple[Field, ...]) -> Iterator[Field]:
    """The repeats among `fields`, including those inside groups (not inside repeats)."""
    for field in fields:
        if field.type == "group":
            yield from repeats(field.children)
        elif field.type == "repeat":
            yield field


def unbound_field(field: Field):
    if field.type == "date":
        return FormField(DateParts, separator="-")
    if field.type == "long_text":
        return TextAreaField()
    if field.type == "multi_choice":
        return SelectMultipleField(choices=[], validate_choice=False)
    if field.type == "file":
        return MultipleFileField() if (field.max_files or 1) > 1 else FileField()
    return StringField()


def _build(name: str, fields: tuple[Field, ...]) -> type[FlaskForm]:
    model_leaves = tuple(leaves(fields))
    attributes = {html_name(field.path): unbound_field(field) for field in model_leaves}
    for field in model_leaves:
        if field.type == "file":   # ticked "remove this file" boxes: the ids of stored files
            attributes[f"{html_name(field.path)}-remove"] = SelectMultipleField(choices=[], validate_choice=False)
    attributes.update(model_leaves=model_leaves, model_repeats=tuple(repeats(fields)))
    return type(name, (AnswersForm,), attributes)


def _cached(key: tuple[str, str, str], build) -> type[FlaskForm]:
    found = _cache.get(key)
    if found is None:
        with _lock:
            found = _cache.get(key)
            if found is None:
                found = _cache[key] = build()
    return found


def page_form_class(service: Service, page: Page) -> type[FlaskForm]:
    top = tuple(service.field_index[name] for name in page.fields)
    return _cached((service.source_hash, "page", page.id), lambda: _build(f"PageForm_{page.id}", top))


def entry_form_class(service: Service, repeat: Field) -> type[FlaskForm]:
    return _cached((service.source_hash, "entry", repeat.path),
                   lambda: _build(f"EntryForm_{html_name(repeat.path)}", repeat.children))
