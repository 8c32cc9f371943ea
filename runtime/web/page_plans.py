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

from flask import current_app, render_template
from markupsafe import Markup

from ..auth import dev_signin_enabled, providers
from ..i18n import format_day, format_money, text_for
from ..identity import signed_in_names
from ..escaping import escaped
from ..kept import kept_on
from ..layout import layout_header

KEPT = "_pkip_page_plans"
SLOT = re.compile("\x00pkip-page:([^\x00]*)\x00")    # no template text contains it, escaping leaves it alone


def _slot(name: str) -> Markup:
    return Markup(f"\x00pkip-page:{name}\x00")


class Slot(Markup):
    """A placeholder for a value that the template also compares or tests (`fees.total >
    0`, `line.gross != line.amount`): it compares as that value, `like`. A plan drawn with
    it is right for every value that compares alike, so a plan's key holds the outcome of
    each such comparison."""

    def __new__(cls, name: str, like: Any = None) -> "Slot":
        slot = super().__new__(cls, f"\x00pkip-page:{name}\x00")
        slot.like = like
        return slot

    def _other(self, other: Any) -> Any:
        return other.like if isinstance(other, Slot) else other

    def __eq__(self, other: Any) -> bool:
        return self.like == self._other(other)

    def __ne__(self, other: Any) -> bool:
        return self.like != self._other(other)

    def __lt__(self, other: Any) -> bool:
        return self.like < self._other(other)

    def __le__(self, other: Any) -> bool:
        return self.like <= self._other(other)

    def __gt__(self, other: Any) -> bool:
        return self.like > self._other(other)

    def __ge__(self, other: Any) -> bool:
        return self.like >= self._other(other)

    __hash__ = Markup.__hash__


def _passing(formatter: Callable[..., str]) -> Callable[..., Any]:
    """A formatting filter that leaves a placeholder as it is (its value is formatted
    when the plan is filled in)."""
    def filtered(value: Any, *arguments: Any) -> Any:
        return value if isinstance(value, Slot) else formatter(value, *arguments)
    return filtered


PLAN_TEMPLATES_KEPT = 64


def plan_environment():
    """The app's Jinja environment with the `money`, `day` and `text` filters passing
    placeholders through, for drawing plans only: an overlay with its own template cache
    (a compiled template looks its filters up in the environment it was compiled for)."""
    app = current_app._get_current_object()
    found = app.extensions.get("pkip_plan_environment")
    if found is None:
        found = app.jinja_env.overlay(cache_size=PLAN_TEMPLATES_KEPT)
        found.filters = {**app.jinja_env.filters, "money": _passing(format_money), "day": _passing(format_day),
                         "text": _passing(text_for)}
        app.extensions["pkip_plan_environment"] = found
    return found


def draw_with_slots(template: str, **context: Any) -> str:
    """`render_template(template, **context)` where the context may hold placeholders."""
    return render_template(plan_environment().get_template(template), **context)


def planned(owner: Any, key: tuple, day: date | None, render: Callable[..., str], values: dict[str, Any],
            limit: int | None = None, kept: str = KEPT) -> str:
    """`render(**values)`, from the plan of `key` kept on `owner` (in its dictionary
    `kept`): drawn with placeholders for `values` once per key and day (None: a page that
    shows nothing of today's), and filled in (Markup is put in as it is, anything else
    escaped). With a `limit`, the plans in `kept` are let go when there are that many."""
    plans = kept_on(owner, kept)
    found = plans.get(key)
    if found is None or found[0] != day:
        if limit is not None and len(plans) >= limit:
            plans.clear()
        parts = SLOT.split(render(**{name: _slot(name) for name in values}))
        found = plans[key] = (day, [Markup(part) if index % 2 == 0 else part for index, part in enumerate(parts)])
    segments = found[1]
    out = [segments[0]]
    for index in range(1, len(segments), 2):
        out.append(escaped(values[segments[index]]))
        out.append(segments[index + 1])
    return "".join(out)


def planned_header(municipality: Any) -> Markup | None:
    """The base layout's header as `base.html` draws it (its plan, `layout.layout_header`),
    with the same arguments the context processors give it; None for a visitor whose
    header is not planned (one who may sign in: the sign-in link carries the address)."""
    return layout_header(municipality, signed_in_names(), dev_signin_enabled(), bool(providers()))
