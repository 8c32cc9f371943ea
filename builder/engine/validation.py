"""Field-level validation of the relevant answers: required, type-specific checks
(personal codes, registration numbers, IBANs by their real check digits), lengths,
patterns, bounds, choices, counts and file limits."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from collections.abc import Callable, Mapping
from typing import Any

from ..fieldtypes import BOUNDED, CHOSEN
from ..messagetext import render_message
from ..model import Field, Text
from .messages import check_of, message

Report = Callable[[str, Field, str, dict], None]   # (path, field, message key, values)



class FieldValidator:
    def __init__(self, options_for: Callable[[Field, dict], tuple], scope: dict, today, report: Report,
                 allowed: Callable[[Field, dict], Any] | None = None):
        self.options_for, self.scope, self.today, self.report = options_for, scope, today, report
        self.allowed = allowed or (lambda field, scope: {option.value for option in options_for(field, scope)})

    def fields(self, fields: tuple[Field, ...], data: Mapping[str, Any], prefix: str,
               hidden: set[str], scope: dict) -> None:
        """The checks of `fields` over `data`, complete answers (`relevance.complete`: every
        member present, None when unanswered), as `Evaluation.prune` gives them."""
        for field in fields:
            path = f"{prefix}{field.name}"
            if path not in hidden:
                self.field(field, data[field.name], path, hidden, scope)

    def field(self, field: Field, value: Any, path: str, hidden: set[str], scope: dict) -> None:
        if field.type == "group":
            self.fields(field.children, value or {}, f"{path}.", hidden, scope)
        elif field.type == "repeat":
            self._repeat(field, value or [], path, hidden, scope)
        elif value is None:
            if field.required or (field.required_when is not None and field.required_when.holds(scope, self.today)):
                key = "required_choice" if field.type in CHOSEN else "required"
                self._report(path, field, key, {}, scope)
        else:
            self._value(field, value, path, scope)
            if field.document:
                self._document_problems(field, value, path)

    def _document_problems(self, field: Field, value: Any, path: str) -> None:
        """Each fatal problem the document reader found is an error on the field, named by its
        rule id; a warning does not stop the resident, as it does not stop a Peppol access point."""
        for item in value if isinstance(value, list) else [value]:
            for problem in item.get("document_problems") or ():
                if problem.get("severity") == "warning":
                    continue
                self.report(path, field, "document_problem", {"rule": problem["rule_id"], "problem": problem["message"]})

    def _repeat(self, field: Field, entries: list, path: str, hidden: set[str], scope: dict) -> None:
        self._count(field, len(entries), path, scope)
        for index, entry in enumerate(entries):    # each entry complete already: `item` as conditions see it
            self.fields(field.children, entry, f"{path}[{index}].", hidden, {**scope, "item": entry, "index": index})

    def _count(self, field: Field, count: int, path: str, scope: dict) -> None:
        if field.min_items is not None and count < field.min_items:
            self._report(path, field, "too_few_items", {"min": field.min_items}, scope)
        if field.max_items is not None and count > field.max_items:
            self._report(path, field, "too_many_items", {"max": field.max_items}, scope)

    def _value(self, field: Field, value: Any, path: str, scope: dict) -> None:
        check = field.kind.check
        failure = check(field, value) if check else None
        if failure is None:
            failure = self._constraints(field, value, scope)
        if failure is not None:
            key, values = failure
            self._report(path, field, key, values, scope)

    def _report(self, path: str, field: Field, key: str, values: dict, scope: dict) -> None:
        """Report a failed check, in the definition's own words when it gives them
        (`messages:` per check, or `pattern_message`), with their values filled in."""
        self.report(path, field, key, with_own_words(field, key, values, scope, self.today))

    def _constraints(self, field: Field, value: Any, scope: dict):
        if field.type in ("choice", "multi_choice"):  # before text: a choice's value is a string too
            return self._choices(field, value, scope)
        if isinstance(value, str):
            return _text_constraints(field, value)
        if field.type in BOUNDED:
            return self._bounds(field, value, scope)
        if field.type == "file":
            return _file_constraints(field, value)
        return None

    def _bounds(self, field: Field, value: Any, scope: dict):
        below, above = field.kind.bound_messages
        low, high = self._evaluate(field.minimum, scope), self._evaluate(field.maximum, scope)
        if low is not None and value < low:
            return below, {"min": low}
        if high is not None and value > high:
            return above, {"max": high}
        if field.decimals is not None and -value.as_tuple().exponent > field.decimals:
            return "too_many_decimals", {"max": field.decimals}
        return None

    def _choices(self, field: Field, value: Any, scope: dict):
        allowed = self.allowed(field, scope)
        chosen = value if isinstance(value, list) else [value]
        if any(item not in allowed for item in chosen):
            return "not_an_option", {}
        if field.type == "multi_choice":
            if field.min_items is not None and len(chosen) < field.min_items:
                return "too_few_items", {"min": field.min_items}
            if field.max_items is not None and len(chosen) > field.max_items:
                return "too_many_items", {"max": field.max_items}
        return None

    def _evaluate(self, expr, scope: dict) -> Any:
        return None if expr is None else expr.value_or_none(scope, self.today)


def _text_constraints(field: Field, value: str):
    if field.min_length is not None and len(value) < field.min_length:
        return "too_short", {"min": field.min_length}
    if field.max_length is not None and len(value) > field.max_length:
        return "too_long", {"max": field.max_length}
    if field.pattern is not None and not _regex(field.pattern).search(value):
        return "pattern", {}
    return None


def _file_constraints(field: Field, value: Any):
    files = value if isinstance(value, list) else [value]
    if field.max_files is not None and len(files) > field.max_files:
        return "too_many_items", {"max": field.max_files}
    for item in files:
        if field.accept and item["media_type"] not in field.accept:
            return "file_type", {}
        if field.max_size_mb is not None and Decimal(item["size"]) > field.max_size_mb * 1024 * 1024:
            return "file_too_large", {"max": field.max_size_mb}
    return None


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def with_own_words(field: Field, key: str, values: dict, scope: dict, today) -> dict:
    """`values` with the definition's own message for this check (`messages:`, or
    `pattern_message`) rendered for these answers, when it gives one."""
    own = field.messages.get(check_of(key))
    if own is None and key == "pattern":
        own = field.pattern_message
    return values if own is None else {**values, "message": render_message(own, scope, today)}


def issue_message(field: Field, key: str, values: dict):
    """The validation message (lv and en) for a failed check."""
    if "message" in values:
        return values["message"]
    if key == "document_problem":   # "BR-CO-10: ..." in every language the reader wrote
        problem = values["problem"]
        return Text({lang: f"{values['rule']}: {problem.get(lang) or problem.get('lv', '')}" for lang in ("lv", "en")})
    return message(key, field, **values)
