"""The answers of a case as the resident saw them on "check your answers", in the staff
member's language, without the resident's Change links."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.engine import Outcome
from builder.model import Field

from ...i18n import gettext as _, text_for
from ..resident.summary import format_answer


@dataclass(frozen=True)
class AnswerSection:
    title: str
    rows: list[tuple[str, list[str]]]


def answer_sections(effective: Any, outcome: Outcome) -> list[AnswerSection]:
    found = []
    for page in effective.service.pages:
        if page.id not in outcome.visible_pages or not page.asks:
            continue              # a summary page asks nothing
        rows: list[tuple[str, list[str]]] = []
        for name in page.fields:
            _add(effective, outcome, effective.service.field_index[name], outcome.values.get(name), rows)
        found.append(AnswerSection(text_for(page.title), rows))
    return found


def _add(effective: Any, outcome: Outcome, field: Field, value: Any, rows: list) -> None:
    if field.path in outcome.hidden:
        return
    if field.type == "group":
        for child in field.children:
            _add(effective, outcome, child, (value or {}).get(child.name), rows)
    elif field.type == "repeat":
        label = text_for(field.item_label) or text_for(field.label)
        for index, item in enumerate(value or []):
            lines = [f"{text_for(c.label)}: {', '.join(shown)}" for c in field.children
                     if (shown := format_answer(effective, c, item.get(c.name)))]
            rows.append((f"{label} {index + 1}", lines))
    else:
        rows.append((text_for(field.label), format_answer(effective, field, value) or [_("Not provided")]))
