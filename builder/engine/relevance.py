"""XForms relevance: a field, page or repeat whose condition is false is not required,
not validated and not stored, recursively. Conditions may depend on other answers and on
computed values, so pruning repeats until nothing changes."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..model import Field, Service

Variables = Callable[[Mapping[str, Any]], dict]


def holds(expr, variables: Mapping[str, Any], today) -> bool:
    """A condition is true only when it evaluates to true; a missing answer makes it false.
    Without a condition (None) it holds. The engine's own loops call `expr.holds` directly."""
    return expr is None or expr.holds(variables, today)


def complete(fields: tuple[Field, ...], data: Mapping[str, Any] | None) -> dict:
    """`data` with every declared member present (None when unanswered), so that
    expressions can test `owner.pensioner == null` instead of failing on a missing key."""
    data = data or {}
    result = {}
    for field in fields:
        value = data.get(field.name)
        if field.type == "group":
            value = complete(field.children, value)
        elif field.type == "repeat" and value is not None:
            value = [complete(field.children, entry) for entry in value]
        result[field.name] = value
    return result


def prune(service: Service, values: dict, variables: Variables, today) -> tuple[dict, set[str], dict, dict]:
    """The relevant answers, the paths of hidden fields, the scope of those answers and the
    answers completed (`complete`): the pass that found nothing more to prune completed them
    and built `variables(completed)`, so the caller need build neither again."""
    hidden: set[str] = set()
    for _ in range(len(service.field_index) + 2):
        completed = complete(service.fields, values)
        scope = variables(completed)
        hidden = set()
        hidden_pages = {name for page in service.pages if page.when is not None and not page.when.holds(scope, today)
                        for name in page.fields}
        pruned = _prune_fields(service.fields, values, completed, scope, today, "", hidden, hidden_pages)
        if pruned == values:
            return values, hidden, scope, completed
        values = pruned
    completed = complete(service.fields, values)    # no fixed point within the bound: the last pruning's
    return values, hidden, variables(completed), completed


def _prune_fields(fields, data: Mapping[str, Any], completed: Mapping[str, Any], scope: dict, today, prefix: str,
                  hidden: set[str], hidden_names: set[str]) -> dict:
    """`data` without its hidden answers; `completed` is `complete(fields, data)`, whose
    repeat entries are the `item` their members' conditions see."""
    kept = {}
    for field in fields:
        path = f"{prefix}{field.name}"
        if field.name in hidden_names or (field.when is not None and not field.when.holds(scope, today)):
            hidden.add(path)
            continue
        if field.name not in data:
            if field.type == "group":  # its members' own conditions still hide them
                _prune_fields(field.children, {}, completed[field.name], scope, today, f"{path}.", hidden, set())
            continue
        kept[field.name] = _prune_value(field, data[field.name], completed[field.name], scope, today, path, hidden)
    return kept


def _prune_value(field: Field, value: Any, completed: Any, scope: dict, today, path: str, hidden: set[str]) -> Any:
    if field.type == "group" and isinstance(value, Mapping):
        return _prune_fields(field.children, value, completed, scope, today, f"{path}.", hidden, set())
    if field.type == "repeat" and isinstance(value, list):
        entries = []
        for index, (entry, whole) in enumerate(zip(value, completed)):
            inner = {**scope, "item": whole, "index": index}
            entries.append(_prune_fields(field.children, entry, whole, inner, today, f"{path}[{index}].", hidden, set()))
        return entries
    return value


def without_answers(fields: tuple[Field, ...], values: Mapping[str, Any], paths: set[str], prefix: str = "") -> dict:
    """`values` without the answers at `paths` ("owner.code", "dogs[0].chip"): what rules
    see once those answers failed their own field checks."""
    kept = {}
    for field in fields:
        if field.name not in values:
            continue
        path, value = f"{prefix}{field.name}", values[field.name]
        if path in paths:
            continue
        if field.type == "group" and isinstance(value, Mapping):
            value = without_answers(field.children, value, paths, f"{path}.")
        elif field.type == "repeat" and isinstance(value, list):
            value = [without_answers(field.children, entry, paths, f"{path}[{index}].")
                     for index, entry in enumerate(value)]
        kept[field.name] = value
    return kept
