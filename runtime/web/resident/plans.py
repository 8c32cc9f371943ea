"""Render plans of the field macros: a field without errors whose markup depends only on
its definition, the language and its options' selected flags (a text input, a date, radios, a
select) is rendered once per process with a placeholder for its value; a request then
fills in only the escaped value. A field with errors, and the other kinds, are drawn by
their macro every time.

The plans hold no answers: the cache key is the field's view without its value (for an
input), and radios and selects are keyed by which option is selected. Every plan is kept
on the compiled object it draws (`runtime.kept`): a field's on the field, a page's on the
service as its municipality offers it."""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable

from markupsafe import Markup

from ...escaping import escaped
from ...i18n import current_language
from ...kept import kept_on
from .fieldviews import FieldView

PLANNED = frozenset({"input", "radios", "select", "date"})
VALUE = "\x00pkip-value\x00"      # no template text contains it, escaping leaves it alone
DATE_PARTS = ("day", "month", "year")
KEPT = "_pkip_render_plans"
MISSING = object()


def _key(view: FieldView) -> tuple:
    options = tuple((o.value, o.label, o.id, o.selected, o.hidden) for o in view.options)
    return (current_language(), view.template, view.name, view.id, view.label, view.hint,
            view.readonly, view.optional, view.optional_reacts, view.input_type, view.autocomplete, view.inputmode,
            view.no_spellcheck, view.suffix, options, view.reveal, view.hidden)


def planned_field(view: FieldView, macro: Callable[[FieldView], Markup]) -> Markup:
    """`macro(view)`, from a plan when there is one."""
    if view.template not in PLANNED or view.errors or view.children or (
            view.template == "date" and view.value is not None and not isinstance(view.value, dict)):
        return macro(view)
    plans = kept_on(view.field, KEPT)
    key = _key(view)
    plan = plans.get(key, MISSING)
    if plan is MISSING:
        plan = plans[key] = _plan(view, macro)
    if plan is None:
        return macro(view)
    if view.template == "date":
        return _filled_date(plan, view.value)
    if view.template != "input":
        return plan[0]
    value = view.value
    return Markup(plan[0] + escaped("" if value is None else value) + plan[1])    # plan: plain strs


def _filled_date(plan: tuple[str, ...], value: Any) -> Markup:
    """A date's plan with its day, month and year put in as the macro does (`(value or
    {}).get(part) or ''`)."""
    parts = value or {}
    out = [plan[0]]
    for index, part in enumerate(DATE_PARTS):
        out.append(escaped(parts.get(part) or ""))
        out.append(plan[index + 1])
    return Markup("".join(out))


def _plan(view: FieldView, macro: Callable[[FieldView], Markup]) -> tuple | None:
    """(before the value, after it); (the whole markup, "") for radios and selects; None
    when the markup does not have the value in exactly one place; a date's has one part
    between each of its day, month and year. An input's and a date's parts are plain strs
    (markup's text): the value goes in escaped by `escaped` and the whole is made Markup
    once, where a Markup part's `+` would call markupsafe's `escape` on it again."""
    if view.template == "date":
        probe = dataclasses.replace(view, value={part: f"{VALUE}{part}" for part in DATE_PARTS}, errors=[])
        html = str(macro(probe))
        if any(html.count(f"{VALUE}{part}") != 1 for part in DATE_PARTS):
            return None
        pieces = re.split("\x00pkip-value\x00(?:day|month|year)", html)
        return tuple(pieces) if len(pieces) == 4 else None
    if view.template != "input":
        probe = dataclasses.replace(view, value=VALUE, errors=[])
        html, plain = str(macro(probe)), str(macro(dataclasses.replace(view, value=None, errors=[])))
        return (Markup(plain), Markup("")) if VALUE not in html and html == plain else None
    html = str(macro(dataclasses.replace(view, value=VALUE, errors=[])))
    if html.count(VALUE) != 1:
        return None
    before, _, after = html.partition(VALUE)
    return before, after


# --- Groups and the question page ------------------------------------------------------

@dataclasses.dataclass
class SlotView:
    """A stand-in child for a group's plan: the `field` macro draws it as its markup."""
    markup: Markup
    template: str = "slot"


def _macros():
    from flask import current_app
    return current_app.jinja_env.get_template("fields/_macros.html").module


def fields_markup(views: list[FieldView], entry_link: dict) -> Markup:
    """What `{% for view in views %}{{ fields.field(view, entry_link) }}{% endfor %}`
    draws, with groups from their plans: a group's markup around its fields depends only
    on its definition and the language, so a request joins its fields' (planned) markup
    between the two halves."""
    macros = _macros()
    # every part is Markup already: `Markup.join` would call `escape` on each again
    return Markup("".join([_field(view, entry_link, macros) for view in views]))


def _field(view: FieldView, entry_link: dict, macros) -> Markup:
    template = view.template
    if template == "input":
        return planned_field(view, macros.input)
    if template == "radios":
        return planned_field(view, macros.radios)
    if template == "select":
        return planned_field(view, macros.select)
    if template == "date":
        return planned_field(view, macros.date)
    if template == "group" and not view.errors:
        plans = kept_on(view.field, KEPT)
        key = ("group", current_language(), view.name, view.label, view.hint, view.reveal, view.hidden)
        found = plans.get(key)
        if found is None:
            probe = dataclasses.replace(view, children=[SlotView(Markup(VALUE))], errors=[])
            before, _, after = str(macros.group(probe, entry_link)).partition(VALUE)
            found = plans[key] = (before, after)       # plain strs, as an input's plan
        before, after = found
        return Markup(before + "".join([_field(child, entry_link, macros) for child in view.children]) + after)
    return macros.field(view, entry_link)


SLOT = re.compile("\x00pkip-slot:([^\x00]*)\x00")


def _slot(name: str) -> str:
    return f"\x00pkip-slot:{name}\x00"


def question_page(owner: Any, key: tuple, render: Callable[..., str], values: dict[str, Any]) -> str:
    """A question page from its plan: `render(**slots)` draws the page once per `key`
    (the page, language, mount point and the like) of `owner` (the compiled service as a
    municipality offers it, which keeps the plan) with placeholders for the header, the
    back link, the CSRF token and the fields; a request fills in `values` (Markup is put
    in as it is, anything else escaped)."""
    plans = kept_on(owner, KEPT)
    segments = plans.get(key)
    if segments is None:
        slots = {name: Markup(_slot(name)) for name in values}
        parts = SLOT.split(render(**slots))
        segments = plans[key] = parts      # markup's text and the slots' names between, all plain strs
    out = [segments[0]]
    for index in range(1, len(segments), 2):
        out.append(escaped(values[segments[index]]))
        out.append(segments[index + 1])
    return "".join(out)
