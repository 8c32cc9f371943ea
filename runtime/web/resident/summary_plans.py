"""Render plans of check your answers' summary lists (`resident/_summary_list.html`):
each macro (a line, a row with or without its Change link, a section) is drawn once per
language with placeholders, and a request joins the answers into them, escaped, instead
of calling a macro per row and per line (dozens of Python calls each). The plans are
kept on the app's languages (`runtime.kept`), whose catalogues their texts come from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from flask import current_app
from markupsafe import Markup

from ... import escaping
from ...i18n import active_languages, current_language
from ...kept import kept_on

SLOT = re.compile("\x00pkip-summary:([a-z]+)\x00")    # no text contains it, escaping leaves it alone
KEPT = "_pkip_summary_plans"


def _slot(name: str) -> str:
    return f"\x00pkip-summary:{name}\x00"


@dataclass
class _ProbeRow:
    key: str
    change_url: str
    change_label: str


def _macros():
    return current_app.jinja_env.get_template("resident/_summary_list.html").module


# `escaped`: markupsafe's text in one C call (a GET's rows escape some sixty texts)
escaped = escaping.escaped


def _plan(plans: dict, key: tuple, draw: Callable[[Any], Any]) -> str:
    """The macro's markup as a format string: its braces doubled, a placeholder `{name}`."""
    found = plans.get(key)
    if found is None:
        parts = SLOT.split(str(draw(_macros())))     # [markup, slot name, markup, ...]
        found = plans[key] = "".join(part.replace("{", "{{").replace("}", "}}") if index % 2 == 0 else f"{{{part}}}"
                                     for index, part in enumerate(parts))
    return found


def _macro_plans() -> dict[str, Callable[..., str]]:
    """The summary list's macros in the current language as format functions."""
    plans = kept_on(active_languages(), KEPT)
    language = current_language()
    return {
        "line": _plan(plans, ("line", language), lambda m: m.line(_slot("text"))).format,
        "linked": _plan(plans, ("row", language, True), lambda m: m.row(
            _ProbeRow(_slot("key"), _slot("url"), _slot("label")), Markup(_slot("lines")))).format,
        "unlinked": _plan(plans, ("row", language, False), lambda m: m.row(
            _ProbeRow(_slot("key"), "", _slot("label")), Markup(_slot("lines")))).format,
        "section": _plan(plans, ("section", language), lambda m: m.section(_slot("title"), Markup(_slot("rows")))).format,
    }


def sections_markup(sections) -> Markup:
    """What check.html draws for `sections` (summary.py) through the macros: each value
    escaped, the lines (markup already) put in as they are. The check page draws its
    lists by `summary_rows.planned_sections`; tests compare the two."""
    macros = _macro_plans()
    line, linked, unlinked, section = macros["line"], macros["linked"], macros["unlinked"], macros["section"]
    drawn = []
    for found in sections:
        rows = []
        for row in found.rows:
            lines = "".join([line(text=escaped(text)) for text in row.lines])
            if row.change_url:
                rows.append(linked(key=escaped(row.key), url=escaped(row.change_url), label=escaped(row.change_label),
                                   lines=lines))
            else:
                rows.append(unlinked(key=escaped(row.key), label=escaped(row.change_label), lines=lines))
        drawn.append(section(title=escaped(found.title), rows="".join(rows)))
    return Markup("".join(drawn))
