"""Check your answers' summary lists drawn straight from their plans: what `summary.sections`
and `summary_plans.sections_markup` draw together, without a Section and a Row per answer
in between. What an answer does not change is drawn once per service, municipality,
language and mount point: each section's markup around its rows, each row's around its
lines (its label and Change link escaped and in place), a yes/no's and a choice's lines
per value, "Not provided", and each repeat entry's row by its index. A request puts in
the lines of what was answered. tests/runtime/test_render_plans.py compares these pages
with the templates' and the lists with `sections_markup(sections(...))`."""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import Any

from flask import request
from markupsafe import Markup

from ...i18n import active_languages, current_language, gettext as _
from ...kept import kept_on
from .answers import locked_fields
from .summary import _entry_url, _Planned, _summary_plan, shown_lines
from .summary_plans import _macro_plans, escaped

KEPT = "_pkip_summary_rows"
LINES = "\x00pkip-summary-lines\x00"     # no text contains it, escaping leaves it alone


def _around(drawn: str) -> tuple[str, str]:
    before, _, after = drawn.partition(LINES)
    return before, after


@dataclass
class _Row:
    """A field's plan (`summary._Planned`) with its markup: `linked` and `unlinked` are the
    row's markup before and after its lines with the Change link and without (a locked
    answer); `shown` the lines of a choice's values (str) or of true and false; `prefix` the
    start of the line of this field in a repeat entry's row ("Name: ")."""
    planned: _Planned
    linked: tuple[str, str]
    unlinked: tuple[str, str]
    shown: dict[Any, str]
    prefix: str
    plain: bool                  # neither a choice nor a file: a str answer is shown as it is
    children: tuple["_Row", ...]
    entries: dict[tuple[str, int], tuple[str, str]] = dataclass_field(default_factory=dict)


@dataclass
class _Lists:
    languages: Any               # the app's languages (their catalogues) this plan was drawn with
    macros: dict
    line: tuple[str, str]
    not_provided: str
    pages: list[tuple[str, tuple[str, str], tuple[_Row, ...]]]


def _row(macros: dict, line: tuple[str, str], planned: _Planned) -> _Row:
    label = escaped(planned.label)
    if planned.labels is not None:     # a choice's label by its value (none for "": not provided)
        shown = {value: line[0] + escaped(text) + line[1] for value, text in planned.labels.items()
                 if type(value) is str and value != ""}
    elif planned.field.type != "file":     # `format_scalar`: true and false are Yes and No
        shown = {True: line[0] + escaped(_("Yes")) + line[1], False: line[0] + escaped(_("No")) + line[1]}
    else:
        shown = {}
    return _Row(planned, _around(macros["linked"](key=label, url=escaped(planned.url), label=label, lines=LINES)),
                _around(macros["unlinked"](key=label, label=label, lines=LINES)), shown,
                line[0] + escaped(f"{planned.label}: "), planned.labels is None and planned.field.type != "file",
                tuple(_row(macros, line, child) for child in planned.children))


def _lists(application) -> _Lists:
    plans = kept_on(application.effective, KEPT)
    key = (current_language(), request.script_root)
    found = plans.get(key)
    languages = active_languages()
    if found is None or found.languages is not languages:
        macros = _macro_plans()
        line = _around(macros["line"](text=LINES))
        found = plans[key] = _Lists(languages, macros, line, line[0] + escaped(_("Not provided")) + line[1], [
            (page_id, _around(macros["section"](title=escaped(title), rows=LINES)),
             tuple(_row(macros, line, planned) for planned in fields))
            for page_id, title, fields in _summary_plan(application)])
    return found


def planned_sections(application, outcome) -> Markup:
    """`sections_markup(sections(application, outcome))`, from the plans."""
    lists = _lists(application)
    visible, values = outcome.visible_pages, outcome.values
    locked: list = []      # the locked fields, worked out once when a read-only field asks
    drawn = []
    for page_id, (before, after), rows in lists.pages:
        if page_id not in visible:
            continue
        out = [before]
        for row in rows:
            _draw(application, outcome, lists, page_id, row, values.get(row.planned.field.name), out, locked)
        out.append(after)
        drawn.append("".join(out))
    return Markup("".join(drawn))


def _draw(application, outcome, lists: _Lists, page_id: str, row: _Row, value: Any, out: list, locked: list) -> None:
    """`summary._rows` of one field, drawn."""
    field = row.planned.field
    if field.path in outcome.hidden:
        return
    if field.type == "group":
        for child in row.children:
            _draw(application, outcome, lists, page_id, child, (value or {}).get(child.planned.field.name), out, locked)
        return
    if field.type == "repeat":
        for index, item in enumerate(value or []):
            _draw_entry(application, lists, page_id, row, index, item, out)
        return
    kind = type(value)
    lines = row.shown.get(value) if kind is bool or kind is str else None
    if lines is None:
        shown = _texts(row, value)
        lines = "".join([lists.line[0] + escaped(text) + lists.line[1] for text in shown]) if shown \
            else lists.not_provided
    if field.readonly and not locked:
        locked.append(locked_fields(application.service, application.prefill_sources()))
    before, after = row.unlinked if field.readonly and field.path in locked[0] else row.linked
    out.append(before)
    out.append(lines)
    out.append(after)


def _texts(row: _Row, value: Any) -> list[str]:
    """`shown_lines`: a text answer (not a choice's, not a file's) is its own line."""
    if type(value) is str and row.plain:
        return [value] if value else []
    return shown_lines(row.planned.field, row.planned.labels, value)


def _draw_entry(application, lists: _Lists, page_id: str, row: _Row, index: int, item: dict, out: list) -> None:
    """`summary._entry_rows`' row of entry `index`, drawn: "Dog 2", its answers a line each."""
    key = (page_id, index)
    around = row.entries.get(key)
    if around is None:
        title = escaped(f"{row.planned.label} {index + 1}")
        url = escaped(_entry_url(application, page_id, row.planned.field, index))
        around = row.entries[key] = _around(lists.macros["linked"](key=title, url=url, label=title, lines=LINES))
    out.append(around[0])
    after_line = lists.line[1]
    for child in row.children:
        shown = _texts(child, item.get(child.planned.field.name))
        if shown:
            out.append(child.prefix + escaped(", ".join(shown)) + after_line)
    out.append(around[1])
