"""Render plans of whole pages that are the same for every visitor but for a few values
(the header with the signed-in person's name, the CSRF token): the page's template is
drawn once per key with placeholders for those values, and a request fills them in,
escaped. The template stays the one renderer; a plan is its output kept. Plans are kept
on the compiled object the page shows (`runtime.kept`), and a plan drawn on another day
is drawn again (a page may show facts of today's parameters), so a plan never outlives
its day nor its catalogue. tests/runtime/test_render_plans.py compares planned pages
with the templates' own."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Callable

from markupsafe import Markup, escape

from ..auth import dev_signin_enabled, providers
from ..identity import signed_in_names
from ..kept import kept_on
from ..layout import layout_header

KEPT = "_pkip_page_plans"
SLOT = re.compile("\x00pkip-page:([^\x00]*)\x00")    # no template text contains it, escaping leaves it alone


def _slot(name: str) -> Markup:
    return Markup(f"\x00pkip-page:{name}\x00")


def planned(owner: Any, key: tuple, day: date | None, render: Callable[..., str], values: dict[str, Any]) -> str:
    """`render(**values)`, from the plan of `key` kept on `owner`: drawn with placeholders
    for `values` once per key and day (None: a page that shows nothing of today's), and
    filled in (Markup is put in as it is, anything else escaped)."""
    plans = kept_on(owner, KEPT)
    found = plans.get(key)
    if found is None or found[0] != day:
        parts = SLOT.split(render(**{name: _slot(name) for name in values}))
        found = plans[key] = (day, [Markup(part) if index % 2 == 0 else part for index, part in enumerate(parts)])
    segments = found[1]
    out = [segments[0]]
    for index in range(1, len(segments), 2):
        out.append(escape(values[segments[index]]))
        out.append(segments[index + 1])
    return "".join(out)


def planned_header(municipality: Any) -> Markup | None:
    """The base layout's header as `base.html` draws it (its plan, `layout.layout_header`),
    with the same arguments the context processors give it; None for a visitor whose
    header is not planned (one who may sign in: the sign-in link carries the address)."""
    return layout_header(municipality, signed_in_names(), dev_signin_enabled(), bool(providers()))
