"""Answers as stored in a draft (JSON: nested mappings, repeat entries as lists) and the
edits a page or a repeat entry makes to them. Pure functions: no Flask, no database.

Paths here are model paths (`owner.surname`), relative to the answers they are applied
to: the whole application for a page, one entry for a repeat entry.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from builder.model import Field, Service

PREFILL_SOURCES = ("person", "municipality")


def get_path(answers: Mapping[str, Any] | None, path: str) -> Any:
    value: Any = answers or {}
    for name in path.split("."):
        # a stored answer is a dict (JSON): its exact type is checked first, because an
        # `isinstance` of the Mapping ABC runs ABCMeta's check (some 3 calls a step, some
        # 200 a page); another mapping still counts as one
        if type(value) is not dict and not isinstance(value, Mapping):
            return None
        value = value.get(name)
    return value


def set_path(answers: dict[str, Any], path: str, value: Any) -> None:
    names = path.split(".")
    target = answers
    for name in names[:-1]:
        if not isinstance(target.get(name), dict):
            target[name] = {}
        target = target[name]
    target[names[-1]] = value


def with_values(answers: Mapping[str, Any], values: Mapping[str, Any], strip: str = "") -> dict[str, Any]:
    """A copy of `answers` with each `path: value` set (`strip` is removed from the front
    of each path: an entry form's paths start with the repeat's path)."""
    result = copied(answers or {})
    for path, value in values.items():
        set_path(result, path.removeprefix(strip), value)
    return result


def copied(answers: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of stored answers that shares nothing mutable with them. Answers are JSON's
    shapes (mappings, lists, immutable scalars such as strings, numbers, dates), so a walk
    of the mappings and lists does what `copy.deepcopy` does, without its memo and
    per-object dispatch (about five calls per value)."""
    return {name: _copied(value) for name, value in answers.items()}


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {name: _copied(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def entries(answers: Mapping[str, Any], repeat: Field) -> list[dict[str, Any]]:
    found = get_path(answers, repeat.path)
    return [entry if isinstance(entry, dict) else {} for entry in found] if isinstance(found, list) else []


def with_entry(answers: Mapping[str, Any], repeat: Field, index: int, entry: dict[str, Any]) -> dict[str, Any]:
    """A copy of `answers` with entry `index` replaced (or appended when it is new)."""
    items = entries(answers, repeat)
    items = [*items[:index], entry, *items[index + 1:]]
    return with_values(answers, {repeat.path: items})


def without_entry(answers: Mapping[str, Any], repeat: Field, index: int) -> dict[str, Any]:
    items = entries(answers, repeat)
    return with_values(answers, {repeat.path: [*items[:index], *items[index + 1:]]})


def prefill_value(field: Field, sources: Mapping[str, Mapping[str, Any]]) -> Any:
    """The value `field.prefill` (`person.surname`, `municipality.name`) gives, or None."""
    if not field.prefill or "." not in field.prefill:
        return None
    source, key = field.prefill.split(".", 1)
    return (sources.get(source) or {}).get(key) if source in PREFILL_SOURCES else None


def locked_fields(service: Service, sources: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """{path: value} of read-only prefilled fields outside repeats that have a value to
    prefill. The server sets these itself: whatever a post says for them is ignored. A
    read-only field with nothing to prefill (nobody signed in) stays editable, or the
    form could not be completed at all."""
    locked = {}
    for field in _fields_outside_repeats(service.fields):
        value = prefill_value(field, sources) if field.readonly else None
        if value not in (None, ""):
            locked[field.path] = value
    return locked


def _fields_outside_repeats(fields: Iterable[Field]) -> Iterable[Field]:
    for field in fields:
        if field.type == "group":
            yield from _fields_outside_repeats(field.children)
        elif field.type != "repeat":
            yield field
