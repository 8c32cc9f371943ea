"""Build what a question page or a repeat entry page shows: the field views (only the
fields that are relevant, plus those whose condition depends on an answer on the same
form, because without JavaScript the form cannot reveal them as the resident types), the
error summary with links to the fields, and the warnings.

Which fields exist and what is wrong comes from the engine's `Outcome`; nothing here
decides validity.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field as dataclass_field
from typing import Any, Callable, Iterable

from builder.engine import Outcome
from builder.engine.evaluation import Evaluation
from builder.engine.relevance import complete, holds
from builder.model import Field
from markupsafe import Markup

from ...forms.naming import html_name, model_path
from ...i18n import text_for, texts_for
from .answers import entries
from .fieldviews import FieldView, make_view, yes_no_options

ENTRY_PATH = re.compile(r"^(?P<repeat>[a-z0-9_.]+)\[(?P<index>\d+)\]")
ValueOf = Callable[[Field], Any]


@dataclass
class EntryRow:
    index: int
    title: str
    description: str
    id: str
    errors: list[str] = dataclass_field(default_factory=list)


@dataclass
class RepeatView:
    rows: list[EntryRow]
    can_add: bool
    item_label: str


@dataclass
class Screen:
    views: list[FieldView]
    summary: list[tuple[str, str]]       # (message, href) for the error summary
    warnings: list[str]


class ScreenBuilder:
    """Views for the fields of one form (a page, or one repeat entry)."""

    def __init__(self, application, outcome: Outcome, answers: dict, value_of: ValueOf, locked: dict[str, Any],
                 prefix: str = "", item: dict | None = None):
        self.application, self.outcome, self.value_of, self.locked = application, outcome, value_of, locked
        self.answers = answers                # the answers the repeat lists show
        self.prefix = prefix                  # "pets[0]." on an entry page, "" on a page
        self.prefix_model = model_path(prefix)      # "pets." on an entry page, "" on a page
        self.views: dict[str, FieldView] = {}
        self._positions: dict[str, int] = {}   # field path -> place on the form (build)
        self.item = item

    @functools.cached_property
    def run(self) -> Evaluation:
        return Evaluation(self.application.effective, self.application.context())

    @functools.cached_property
    def scope(self) -> dict:
        """What a choice filter sees: the engine's own scope of this outcome (every
        outcome here comes from `Application.evaluate`, with the same context as `run`);
        worked out again only for an outcome that does not carry one."""
        scope = self.outcome.scope or self.run.scope(self.outcome.values)
        return scope if self.item is None else {**scope, "item": self.item}

    def build(self, fields: Iterable[Field], form_paths: set[str]) -> list[FieldView]:
        self.form_paths = form_paths
        fields = list(fields)
        self._positions = {field.path: index for index, field in enumerate(_in_order(fields))}
        return [view for view in (self._view(f) for f in fields) if view is not None]

    def _view(self, field: Field, within_hidden: bool = False) -> FieldView | None:
        """The field's view, or None when it is not drawn at all. A field whose condition
        reads answers on this form is drawn even while hidden (with `hidden`), so that
        form.js can reveal it as the resident answers; inside it, each field is drawn by
        its own condition."""
        state = self._state(field, within_hidden)
        if state is None:
            return None
        reactive, hidden = state
        if field.type == "group":
            view = make_view(field, None, [], False)
            view.children = [v for v in (self._view(c, within_hidden or hidden) for c in field.children)
                             if v is not None]
        elif field.type == "repeat":
            view = make_view(field, None, [], False)
            view.repeat = self._repeat(field)
        else:
            view = make_view(field, self.value_of(field), self._options(field), field.path in self.locked)
            self._filter_options(field, view)
            self._mark_optional(field, view)
        if reactive:
            view.reveal, view.hidden = view.name, hidden
        self.views[field.path] = view
        return view

    def _state(self, field: Field, within_hidden: bool) -> tuple[bool, bool] | None:
        """(reacts to this form, hidden now), or None for a field not to draw: hidden by
        answers elsewhere or by the municipality's settings."""
        reactive = field.when is not None and any(
            self._on_form(p) for p in answer_paths(self.application.service, field.when))
        if within_hidden:     # the engine hides everything inside a hidden group: ask its own condition
            hidden = field.when is not None and not holds(field.when, self.scope, self.run.today)
        else:
            relative = field.path.removeprefix(self.prefix_model)
            hidden = f"{self.prefix}{relative}" in self.outcome.hidden
        if hidden and not reactive:
            return None
        return reactive, hidden

    def _on_form(self, reference: str) -> bool:
        if reference.startswith("item."):
            reference = self.prefix_model + reference.removeprefix("item.")
        return reference in self.form_paths

    def _mark_optional(self, field: Field, view: FieldView) -> None:
        """A field whose `required:` is an expression is "(optional)" while it is false for
        the answers so far (the engine's own rule: validation.py); when it reads answers on
        this form, form.js keeps the mark up to date through the reveal answer."""
        if field.required_when is None:
            return
        view.optional = not holds(field.required_when, self.scope, self.run.today)
        view.optional_reacts = any(self._on_form(p) for p in answer_paths(self.application.service,
                                                                           field.required_when))

    def _options(self, field: Field) -> list[tuple[str, str]]:
        if field.type == "yes_no":
            return yes_no_options()
        if field.type not in ("choice", "multi_choice"):
            return []
        found = self.application.effective.options(field) if (
            field.choice_filter is None or self._filter_on_form(field)) else self.run.options_for(field, self.scope)
        return list(zip([o.value for o in found], texts_for([o.label for o in found])))

    def _filter_on_form(self, field: Field) -> bool:
        return field.choice_filter is not None and any(
            self._on_form(p) for p in field.choice_filter.paths if not p.startswith("option."))

    def _filter_options(self, field: Field, view: FieldView) -> None:
        """A list filtered by answers on this form offers every option, the ones the
        answers so far filter out drawn hidden (form.js shows them again); a chosen one
        stays visible, so the engine can say why it no longer fits."""
        if field.type not in ("choice", "multi_choice") or not self._filter_on_form(field):
            return
        allowed = {o.value for o in self.run.options_for(field, self.scope)}
        for option in view.options:
            option.hidden = option.value not in allowed and not option.selected
        view.filtered = True

    def _repeat(self, field: Field) -> RepeatView:
        items = entries(self.answers, field)
        label = text_for(field.item_label) or text_for(field.label)
        rows = [EntryRow(i, f"{label} {i + 1}", describe(field, item, self._option_label),
                         f"{html_name(field.path)}-{i}")
                for i, item in enumerate(items)]
        can_add = field.max_items is None or len(items) < field.max_items
        return RepeatView(rows, can_add, label)

    def _option_label(self, field: Field, value: str) -> str:
        option = next((o for o in self.application.effective.options(field) if o.value == value), None)
        return text_for(option.label) if option is not None else value

    def attach(self, issues, extra: dict[str, list[str]], quiet: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """Put each issue next to its field (or repeat entry) and return the summary in the
        order of the page. A refused upload has its own message only: the engine's
        "missing" or "wrong type" about the same field would say it twice. An issue about
        a field in `quiet` (by name: drawn hidden when the resident last saw the form) is
        not said: the field is shown now, as a new question."""
        refused = {path for path, messages in extra.items() if messages}
        placed: list[tuple[str, str]] = []
        for issue in issues:
            paths = issue.fields or (issue.key,)
            if any(self._model_of(path) in refused for path in paths) or self._is_quiet(paths, quiet):
                continue
            message = text_for(issue.message)
            placed.append((message, "#" + self._place(paths, message)))
        for path, messages in extra.items():
            for message in messages:
                view = self.views.get(path)
                if view is not None:
                    view.errors.append(message)
                placed.append((message, f"#{view.id if view else 'main'}"))
        order = self._page_order()
        return sorted(placed, key=lambda entry: order.get(entry[1][1:], len(order)))

    def _is_quiet(self, paths: tuple[str, ...], quiet: frozenset[str]) -> bool:
        views = [self.views.get(self._model_of(path)) for path in paths]
        return bool(quiet) and all(view is not None and view.name in quiet for view in views)

    def _model_of(self, path: str) -> str:
        relative = path.removeprefix(self.prefix) if self.prefix else path
        return self.prefix_model + model_path(relative)

    def _page_order(self) -> dict[str, float]:
        """Each field's and entry row's place on the form, by element id."""
        order: dict[str, float] = {}
        for view in sorted(self.views.values(), key=lambda v: self._positions.get(v.field.path, 0)):
            order.setdefault(view.id, len(order))
            for row in (view.repeat.rows if view.repeat is not None else ()):
                order.setdefault(row.id, order[view.id] + (row.index + 1) / 10_000)
        return order

    def _place(self, paths: tuple[str, ...], message: str) -> str:
        for path in paths:
            relative = path.removeprefix(self.prefix) if self.prefix else path
            entry = ENTRY_PATH.match(relative)
            if entry and not self.prefix:
                row = self._row(entry.group("repeat"), int(entry.group("index")))
                if row is not None:
                    row.errors.append(message)
                    return row.id
            view = self.views.get(self.prefix_model + model_path(relative))
            if view is not None:
                view.errors.append(message)
                return view.id
        return "main"

    def _row(self, repeat_path: str, index: int) -> EntryRow | None:
        view = self.views.get(repeat_path)
        rows = view.repeat.rows if view is not None and view.repeat is not None else []
        return next((row for row in rows if row.index == index), None)


DRAWN_HIDDEN = "pkip-drawn-hidden"


def every_view(views: Iterable[FieldView]):
    for view in views:
        yield view
        yield from every_view(view.children)


def reacts(views: list[FieldView]) -> bool:
    """Whether a form has questions or options that its own answers show or hide."""
    return any(view.reveal or view.filtered or view.optional_reacts for view in every_view(views))


def drawn_hidden_input(views: list[FieldView]) -> Markup:
    """The names of the fields drawn hidden, posted with the form: a resident without
    JavaScript who reveals a question by an answer sees it after "Continue" as a new
    question, not as an error about something never shown (`quiet` in `attach`)."""
    if not reacts(views):
        return Markup("")
    names = " ".join(view.name for view in every_view(views) if view.reveal and view.hidden)
    return Markup('<input type="hidden" name="%s" value="%s">') % (DRAWN_HIDDEN, names)


def _in_order(fields: Iterable[Field]):
    """Fields as the form draws them: a group, then what is inside it."""
    for field in fields:
        yield field
        if field.type == "group":
            yield from _in_order(field.children)


def describe(repeat: Field, entry: dict, option_label: Callable[[Field, str], str] = lambda f, v: v) -> str:
    """A short description of a repeat entry: its first two text-like answers, a choice by
    its option's label ("Ozols", not "oak")."""
    shown = []
    for child in repeat.children:
        value = entry.get(child.name)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            shown.append(option_label(child, value) if child.type == "choice" else str(value))
        if len(shown) == 2:
            break
    return ", ".join(shown)


def entry_item(repeat: Field, entry: dict) -> dict:
    return complete(repeat.children, entry)


def answer_paths(service, expr) -> set[str]:
    """The answer paths an expression reads, following computed values to the answers they
    use: a field shown when `ask_address` (computed from a choice on the same page) depends
    on that choice, so it must be on the form for a resident without JavaScript."""
    computed = {c.name: c for c in service.computed}
    paths: set[str] = set()
    pending, followed = list(expr.paths), set()
    while pending:
        path = pending.pop()
        head = path.split(".")[0]
        if head in computed and head not in followed:
            followed.add(head)
            pending.extend(computed[head].expr.paths)
        elif head not in computed:
            paths.add(path)
    return paths

