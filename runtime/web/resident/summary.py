""""Check your answers": one summary list per visible page, each answer formatted for
the reader's language, with a Change link back to the question (or repeat entry)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.engine import Outcome
from builder.model import Field
from flask import request, url_for

from ...forms.naming import html_name, model_path, target_id
from ...i18n import current_language, gettext as _, text_for
from ...kept import kept_on
from .answers import locked_fields
from .formatting import format_scalar
from .pages import RETURN_TO_CHECK, page_url


@dataclass
class Row:
    key: str
    lines: list[str]
    change_url: str        # "" for an answer the resident cannot change (a prefilled personal code)
    change_label: str      # what is changed, for screen readers ("Change Surname")


@dataclass
class Section:
    title: str
    rows: list[Row]


def format_answer(effective, field: Field, value: Any) -> list[str]:
    """The lines an answer is shown as; an empty list when it was not given."""
    return shown_lines(field, _choice_labels(effective, field), value)


def shown_lines(field: Field, labels: dict[Any, str] | None, value: Any) -> list[str]:
    """`format_answer` with a choice's option labels (value -> label) given."""
    if value is None or value == [] or value == "":
        return []
    if labels is not None:
        return [labels.get(item, item) for item in (value if isinstance(value, list) else [value])]
    if field.type == "file":
        return [str(item.get("name", "")) for item in (value if isinstance(value, list) else [value])]
    return [format_scalar(value, field)]


@dataclass(frozen=True)
class _Planned:
    """What a field's rows need that the answers do not change, worked out once per
    language and mount point: its label, its Change link, a choice's option labels, a
    group's fields and a repeat's entry label and fields."""
    field: Field
    label: str
    url: str
    labels: dict[Any, str] | None
    children: tuple["_Planned", ...] = ()


def _choice_labels(effective, field: Field) -> dict[Any, str] | None:
    if field.type not in ("choice", "multi_choice"):
        return None
    return {o.value: text_for(o.label) for o in effective.options(field)}


def _planned_field(application, page_link: str, field: Field) -> _Planned:
    if field.type == "repeat":
        children = tuple(_Planned(c, text_for(c.label), "", _choice_labels(application.effective, c))
                         for c in field.children)
        return _Planned(field, text_for(field.item_label) or text_for(field.label), "", None, children)
    children = tuple(_planned_field(application, page_link, c) for c in field.children) \
        if field.type == "group" else ()
    return _Planned(field, text_for(field.label), f"{page_link}#{target_id(field)}",
                    _choice_labels(application.effective, field), children)


def _summary_plan(application) -> list[tuple[str, str, tuple[_Planned, ...]]]:
    """(page id, title, its fields' plans) of every page that asks something, kept on the
    compiled service as its municipality offers it (`runtime.kept`)."""
    plans = kept_on(application.effective, "_pkip_summary_plans")
    key = (current_language(), request.script_root)
    found = plans.get(key)
    if found is None:
        found = plans[key] = [
            (page.id, text_for(page.title), tuple(
                _planned_field(application, page_url(application, page.id, returning=True),
                               application.service.field_index[name]) for name in page.fields))
            for page in application.service.pages if page.asks]
    return found


def sections(application, outcome: Outcome) -> list[Section]:
    found = []
    locked: list[dict[str, Any]] = []     # the locked fields, worked out once when a read-only field asks
    for page_id, title, fields in _summary_plan(application):
        if page_id not in outcome.visible_pages:
            continue              # a summary page asks nothing: no answers to check there
        rows: list[Row] = []
        for planned in fields:
            _rows(application, outcome, page_id, planned, outcome.values.get(planned.field.name), rows, locked)
        found.append(Section(title, rows))
    return found


def _rows(application, outcome: Outcome, page_id: str, planned: _Planned, value: Any, rows: list[Row],
          locked: list) -> None:
    """The rows of a field on the page `page_id`."""
    field = planned.field
    if field.path in outcome.hidden:
        return
    if field.type == "group":
        for child in planned.children:
            _rows(application, outcome, page_id, child, (value or {}).get(child.field.name), rows, locked)
    elif field.type == "repeat":
        rows.extend(_entry_rows(application, page_id, planned, value or []))
    else:
        lines = shown_lines(field, planned.labels, value) or [_("Not provided")]
        if field.readonly and not locked:
            locked.append(locked_fields(application.service, application.prefill_sources()))
        url = "" if field.readonly and field.path in locked[0] else planned.url
        rows.append(Row(planned.label, lines, url, planned.label))


def _entry_rows(application, page_id: str, planned: _Planned, items: list[dict]) -> list[Row]:
    rows = []
    for index, item in enumerate(items):
        lines = []
        for child in planned.children:
            shown = shown_lines(child.field, child.labels, item.get(child.field.name))
            if shown:
                lines.append(f"{child.label}: {', '.join(shown)}")
        title = f"{planned.label} {index + 1}"
        rows.append(Row(title, lines, _entry_url(application, page_id, planned.field, index), title))
    return rows


def _entry_url(application, page_id: str, repeat: Field, index: int) -> str:
    """An entry's Change link, kept per mount point, page, repeat and index (at most the
    repeat's largest number of entries)."""
    urls = kept_on(application.effective, "_pkip_entry_urls")
    key = (request.script_root, page_id, repeat.path, index)
    found = urls.get(key)
    if found is None:
        found = urls[key] = url_for(
            "resident.entry", municipality_id=application.municipality.id, service_id=application.service.id,
            page_id=page_id, repeat=html_name(repeat.path), index=index, **{"return": RETURN_TO_CHECK})
    return found


def error_links(application, outcome: Outcome) -> list[tuple[str, str]]:
    """Every error, linking to the page (and field) where it can be put right."""
    links = []
    for issue in outcome.errors:
        message = text_for(issue.message)
        if issue.page is None or issue.page not in outcome.visible_pages:
            links.append((message, "#main"))
            continue
        field = application.service.field_index.get(model_path(issue.fields[0])) if issue.fields else None
        anchor = f"#{target_id(field)}" if field is not None and "[" not in issue.fields[0] else ""
        links.append((message, page_url(application, issue.page, returning=True) + anchor))
    return links

