""""Check your answers": one summary list per visible page, each answer formatted for
the reader's language, with a Change link back to the question (or repeat entry)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.engine import Outcome
from builder.model import Field
from flask import url_for

from ...forms.naming import html_name, model_path, target_id
from ...i18n import gettext as _, text_for
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
    if value is None or value == [] or value == "":
        return []
    if field.type in ("choice", "multi_choice"):
        labels = {o.value: text_for(o.label) for o in effective.options(field)}
        return [labels.get(item, item) for item in (value if isinstance(value, list) else [value])]
    if field.type == "file":
        return [str(item.get("name", "")) for item in (value if isinstance(value, list) else [value])]
    return [format_scalar(value, field)]


def sections(application, outcome: Outcome) -> list[Section]:
    found = []
    for page in application.service.pages:
        if page.id not in outcome.visible_pages or not page.asks:
            continue              # a summary page asks nothing: no answers to check there
        rows: list[Row] = []
        page_link = page_url(application, page.id, returning=True)     # once per page, not per row
        for name in page.fields:
            _rows(application, outcome, (page.id, page_link), application.service.field_index[name],
                  outcome.values.get(name), rows)
        found.append(Section(text_for(page.title), rows))
    return found


def _rows(application, outcome: Outcome, page: tuple[str, str], field: Field, value: Any, rows: list[Row]) -> None:
    """The rows of `field` on `page` (its id, and its address for a change)."""
    if field.path in outcome.hidden:
        return
    if field.type == "group":
        for child in field.children:
            _rows(application, outcome, page, child, (value or {}).get(child.name), rows)
    elif field.type == "repeat":
        rows.extend(_entry_rows(application, page[0], field, value or []))
    else:
        lines = format_answer(application.effective, field, value) or [_("Not provided")]
        locked = field.readonly and field.path in locked_fields(application.service, application.prefill_sources())
        url = "" if locked else f"{page[1]}#{target_id(field)}"
        rows.append(Row(text_for(field.label), lines, url, text_for(field.label)))


def _entry_rows(application, page_id: str, repeat: Field, items: list[dict]) -> list[Row]:
    label = text_for(repeat.item_label) or text_for(repeat.label)
    rows = []
    for index, item in enumerate(items):
        lines = []
        for child in repeat.children:
            shown = format_answer(application.effective, child, item.get(child.name))
            if shown:
                lines.append(f"{text_for(child.label)}: {', '.join(shown)}")
        url = url_for("resident.entry", municipality_id=application.municipality.id, service_id=application.service.id,
                      page_id=page_id, repeat=html_name(repeat.path), index=index, **{"return": RETURN_TO_CHECK})
        rows.append(Row(f"{label} {index + 1}", lines, url, f"{label} {index + 1}"))
    return rows


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

