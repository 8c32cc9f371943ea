"""Render plans of the field macros: a field without errors whose markup depends only on
its definition, the language and its options' selected flags (a text input, radios, a
select) is rendered once per process with a placeholder for its value; a request then
fills in only the escaped value. A field with errors, and the other kinds, are drawn by
their macro every time.

The plans hold no answers: the cache key is the field's view without its value (for an
input), and radios and selects are keyed by which option is selected."""
from __future__ import annotations

import dataclasses
import threading
from typing import Any, Callable

from markupsafe import Markup, escape

from ..i18n import current_language
from .fieldviews import FieldView

PLANNED = frozenset({"input", "radios", "select"})
VALUE = "\x00pkip-value\x00"      # no template text contains it, escaping leaves it alone
LIMIT = 50_000                   # entries; past it (catalogues replaced many times) start afresh
_plans: dict[tuple, tuple[Any, tuple[Markup, Markup] | None]] = {}
_lock = threading.Lock()


def _key(view: FieldView) -> tuple:
    options = tuple((o.value, o.label, o.id, o.selected) for o in view.options)
    return (id(view.field), current_language(), view.template, view.name, view.id, view.label, view.hint,
            view.readonly, view.optional, view.input_type, view.autocomplete, view.inputmode,
            view.no_spellcheck, view.suffix, options)


def planned_field(view: FieldView, macro: Callable[[FieldView], Markup]) -> Markup:
    """`macro(view)`, from a plan when there is one."""
    if view.template not in PLANNED or view.errors or view.children:
        return macro(view)
    key = _key(view)
    found = _plans.get(key)
    if found is None or found[0] is not view.field:
        found = (view.field, _plan(view, macro))
        with _lock:
            if len(_plans) > LIMIT:
                _plans.clear()
            _plans[key] = found
    plan = found[1]
    if plan is None:
        return macro(view)
    if view.template != "input":
        return plan[0]
    value = view.value
    return plan[0] + escape("" if value is None else value) + plan[1]


def _plan(view: FieldView, macro: Callable[[FieldView], Markup]) -> tuple[Markup, Markup] | None:
    """(before the value, after it); (the whole markup, "") for radios and selects; None
    when the markup does not have the value in exactly one place."""
    if view.template != "input":
        probe = dataclasses.replace(view, value=VALUE, errors=[])
        html, plain = str(macro(probe)), str(macro(dataclasses.replace(view, value=None, errors=[])))
        return (Markup(plain), Markup("")) if VALUE not in html and html == plain else None
    html = str(macro(dataclasses.replace(view, value=VALUE, errors=[])))
    if html.count(VALUE) != 1:
        return None
    before, _, after = html.partition(VALUE)
    return Markup(before), Markup(after)
