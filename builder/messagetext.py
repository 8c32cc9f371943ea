"""Messages with values in them: `{param.min_notice_days}`, `{item.chip}` or `{fee_total}`
inside a rule's `message` or a field's `pattern_message`, each language its own template.
A value is formatted for the reader of that language: dates, decimal commas, euro amounts
for money parameters, computed values and fields, yes/no."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from .expressions import EvaluationError, Expression, Template
from .fieldtypes.display import in_language
from .model import Text


@dataclass(frozen=True)
class MessageText:
    """A message whose {placeholders} are rendered per evaluation."""

    text: Text                          # as written (also the fallback)
    templates: Mapping[str, Template]   # language -> its template
    money: frozenset[str]               # placeholder sources that are amounts in euro

    def render(self, variables: Mapping[str, Any], today: dt.date) -> Text:
        return Text({language: self._render(template, language, variables, today)
                     for language, template in self.templates.items()})

    def _render(self, template: Template, language: str, variables: Mapping[str, Any], today) -> str:
        parts = []
        for part in template.parts:
            if not isinstance(part, Expression):
                parts.append(part)
                continue
            try:
                value = part.evaluate(variables, today)
            except EvaluationError:     # a value that needs a missing answer: left out
                value = None
            parts.append(in_language(value, language, "money" if part.source.strip() in self.money else ""))
        return "".join(parts)


def render_message(message: Text | MessageText, variables: Mapping[str, Any], today) -> Text:
    """The message for these answers: a plain text as it is, a template with its values."""
    return message.render(variables, today) if isinstance(message, MessageText) else message
