"""Render plans of "my applications" (`account/my_applications.html`): the page is drawn
once per language, mount point and shape (whom the person acts for, whether they may
choose, whether there are cases and drafts) with placeholders for the header and the
rows, and each row (`account/_rows.html`'s macros) once per language and row shape as a
format string; a request formats its rows' values (days once per value and language,
`i18n`) and joins them in, escaped; a case's places in a queue (`queue_place`) are
drawn per case and joined in as they are. The plans are kept on the app's languages (`runtime.kept`), whose catalogues
their texts come from. `tests/runtime/test_render_plans.py` compares them with the
template."""
from __future__ import annotations

from operator import attrgetter
from types import SimpleNamespace
from typing import Any, Callable

from flask import request
from markupsafe import Markup, escape

from ..i18n import active_languages, current_language, format_day, text_for
from ..kept import kept_on
from .page_plans import SLOT, Slot, draw_with_slots, plan_environment, planned, planned_header

KEPT = "_pkip_row_plans"
PAGE_PLANS_KEPT = 64       # two languages x a mount point x whom one acts for x cases or not x drafts or not


def _row_plan(kind: str, shape: tuple, probe: Callable[[], Any]) -> str:
    """The macro `kind` of `account/_rows.html` drawn for `probe()` as a format string (the
    probe made only when the plan is drawn, not on every row)."""
    plans = kept_on(active_languages(), KEPT)
    key = (kind, current_language(), shape)
    found = plans.get(key)
    if found is None:
        macro = getattr(plan_environment().get_template("account/_rows.html").module, kind)
        parts = SLOT.split(str(macro(probe())))        # [markup, slot name, markup, ...]
        found = plans[key] = "".join(part.replace("{", "{{").replace("}", "}}") if index % 2 == 0 else f"{{{part}}}"
                                     for index, part in enumerate(parts))
    return found


def _probe(row: Any, shape_names: tuple[str, ...], shape: tuple, names: tuple[str, ...]) -> SimpleNamespace:
    """A row of placeholders: each of `names` a Slot, each shown-or-not part as the row has it."""
    probe = SimpleNamespace(**{name: Slot(name) for name in names})
    for name, shown in zip(shape_names, shape):
        if not shown:
            setattr(probe, name, getattr(row, name))
    probe.municipality = SimpleNamespace(name=Slot("municipality")) if row.municipality else None
    return probe


SENT_SHOWN = ("municipality", "awaiting_answer", "institution", "due_on", "pdf_url")
SENT_VALUES = ("title", "case_url", "reference", "status", "awaiting_answer", "institution", "when", "due_on",
               "pdf_url")
DRAFT_SHOWN = ("resume_url", "municipality")
DRAFT_VALUES = ("title", "resume_url", "when")


class _Shared:
    """What the rows of one request share, worked out once: a plan per row shape, a
    municipality's name escaped, a day's text (a list holds the same few of each)."""

    def __init__(self, kind: str, shown: tuple[str, ...], values: tuple[str, ...]) -> None:
        # attrgetter of two or more names gives a tuple (one name would give the value)
        self.kind, self.shown, self.values = kind, attrgetter(*shown), values
        self.shown_names = shown
        self.plans: dict[tuple, str] = {}
        self.places: dict[int, str] = {}
        self.days: dict[Any, str] = {}

    def plan(self, row: Any) -> str:
        shape = tuple(map(bool, self.shown(row)))
        found = self.plans.get(shape)
        if found is None:
            found = self.plans[shape] = _row_plan(self.kind, shape,
                                                  lambda: _probe(row, self.shown_names, shape, self.values))
        return found

    def municipality(self, row: Any) -> str:
        if not row.municipality:
            return ""
        found = self.places.get(id(row.municipality))
        if found is None:
            found = self.places[id(row.municipality)] = escape(text_for(row.municipality.name))
        return found

    def day(self, value: Any) -> str:
        found = self.days.get(value)
        if found is None:
            found = self.days[value] = escape(format_day(value))
        return found


def sent_rows(rows: list) -> Markup:
    """What `rows.sent_row(row)` draws for each of `rows`."""
    shared = _Shared("sent_row", SENT_SHOWN, SENT_VALUES)
    drawn = [shared.plan(row).format(
        title=escape(row.title), municipality=shared.municipality(row), case_url=escape(row.case_url),
        reference=escape(row.reference), status=escape(row.status), awaiting_answer="",
        institution=escape(text_for(row.institution)) if row.institution else "", when=shared.day(row.when),
        due_on=shared.day(row.due_on) if row.due_on else "", pdf_url=escape(row.pdf_url or "")) for row in rows]
    return Markup("".join(drawn))


def draft_rows(rows: list) -> Markup:
    """What `rows.draft_row(row)` draws for each of `rows`."""
    shared = _Shared("draft_row", DRAFT_SHOWN, DRAFT_VALUES)
    drawn = [shared.plan(row).format(title=escape(row.title), municipality=shared.municipality(row),
                                     resume_url=escape(row.resume_url or ""), when=shared.day(row.when))
             for row in rows]
    return Markup("".join(drawn))


def queue_places(rows: list) -> Markup:
    """What `rows.queue_place(row)` draws for each of `rows` with a queue's places
    (nothing, without even looking the macro up, when none has)."""
    if not any(row.queue for row in rows):
        return Markup("")
    macro = plan_environment().get_template("account/_rows.html").module.queue_place
    return Markup("".join(str(macro(row)) for row in rows if row.queue))


def planned_my_applications(submitted: list, saved: list, acting_for: dict | None, may_choose: bool) -> str | None:
    """The page from its plan, or None (draw the template) for a visitor whose header is
    not planned."""
    header = planned_header(None)
    if header is None:
        return None
    values = {"header": header, "sent_rows": sent_rows(submitted), "draft_rows": draft_rows(saved),
              "queue_places": queue_places(submitted)}
    if acting_for:
        values["acting_for"] = acting_for.get("shown")

    def render(header: Markup, sent_rows: Markup, draft_rows: Markup, queue_places: Markup, **_slots: Any) -> str:
        probe = {"kind": acting_for.get("kind"), "shown": Slot("acting_for")} if acting_for else acting_for
        return draw_with_slots("account/my_applications.html", submissions=submitted, drafts=saved,
                               sent_rows=sent_rows, draft_rows=draft_rows, queue_places=queue_places, acting_for=probe,
                               may_choose=may_choose, layout_header=lambda *_: header)

    key = ("my_applications", current_language(), request.script_root, acting_for.get("kind") if acting_for else None,
           may_choose, bool(submitted), bool(saved))
    return planned(active_languages(), key, None, render, values, limit=PAGE_PLANS_KEPT,
                   kept="_pkip_my_applications_plans")
