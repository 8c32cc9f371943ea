"""The names an expression may use, and their types, derived from a definition's raw
field, parameter and computed declarations (before anything is compiled)."""
from __future__ import annotations

from typing import Any, Mapping

from .expressions import types as T
from .fieldtypes import FIELD_TYPES
from .expressions.library import BAND_TYPE
from .registers import lookup_type

NUMBER_TYPES = {"number", "money", "percent"}

FILE_TYPE = T.ObjectType({"name": T.STRING, "size": T.INT, "media_type": T.STRING}, "file")
MUNICIPALITY_TYPE = T.ObjectType(
    {"id": T.STRING, "code": T.STRING, "name": T.STRING, "atvk": T.STRING, "iso": T.STRING,
     "registration_numbers": T.ListType(T.STRING)}, "municipality")
PERSON_TYPE = T.ObjectType(
    {"personal_code": T.STRING, "given_name": T.STRING, "surname": T.STRING, "signed_in": T.BOOL}, "person")

# Names the language gives a meaning; a field or computed value may not take them.
RESERVED = frozenset({"param", "municipality", "person", "item", "index", "option", "value",
                      "fee_total", "line_amount", "true", "false", "null", "in"})


def value_type(kind: str) -> T.Type:
    """The expression type of a parameter or computed value of declared type `kind`."""
    if kind in NUMBER_TYPES:
        return T.NUMBER
    if kind == "integer":
        return T.INT
    if kind == "boolean":
        return T.BOOL
    if kind == "date":
        return T.DATE
    if kind == "options":
        return T.ListType(T.ObjectType({"value": T.STRING, "label": T.STRING}, "option"))
    if kind == "table":
        return T.MapType(T.STRING, T.NUMBER)
    if kind == "codes":
        return T.ListType(T.STRING)
    if kind == "bands":
        return T.ListType(BAND_TYPE)
    if kind == "yearly_date":
        return T.DATE                 # that day in the year of today()
    return T.STRING


def field_type(spec: Mapping[str, Any], name: str) -> T.Type:
    """The expression type of a field as the raw YAML declares it."""
    kind = spec.get("type")
    registered = FIELD_TYPES.get(kind) if isinstance(kind, str) else None
    if registered is not None and registered.expr is not None:
        return registered.expr
    if kind == "file":
        return document_file_type(spec["document"]) if spec.get("document") else FILE_TYPE
    if kind == "group":
        return record_type(spec.get("fields") or {}, name)
    if kind == "repeat":
        return T.ListType(record_type(spec.get("fields") or {}, name))
    return T.DYN


def document_file_type(kind: str) -> T.Type:
    """A file read by a document reader: the file's facts plus `document` (the reader's
    typed summary, null when unreadable) and `document_problems`."""
    from .documents import PROBLEM_TYPE, summary_type
    return T.ObjectType({**FILE_TYPE.fields, "document": summary_type(kind),
                         "document_problems": T.ListType(PROBLEM_TYPE)}, "file")


def record_type(fields: Mapping[str, Any], name: str) -> T.Type:
    members = {key: field_type(spec, key) for key, spec in fields.items() if isinstance(spec, Mapping)}
    return T.ObjectType(members, name)


def option_type(extra_keys: set[str], declared: Mapping[str, T.Type] | None = None) -> T.Type:
    """The type of `option` in a choice filter: value, label and the list's extra columns
    (dyn, or the type an `options` parameter declares for the column)."""
    extra = T.ObjectType({key: (declared or {}).get(key, T.DYN) for key in sorted(extra_keys)}, "extra")
    return T.ObjectType({"value": T.STRING, "label": T.STRING, "extra": extra}, "option")


def base_scope(data: Mapping[str, Any]) -> dict[str, T.Type]:
    """Fields, computed values, `param`, `municipality`, `person` and, when the definition
    declares look-ups, `lookup`."""
    scope: dict[str, T.Type] = {}
    for name, spec in (data.get("fields") or {}).items():
        if isinstance(spec, Mapping):
            scope[name] = field_type(spec, name)
    for name, spec in (data.get("computed") or {}).items():
        if isinstance(spec, Mapping) and spec.get("for_each") is None:
            scope.setdefault(name, value_type(spec.get("type", "text")))
    _add_entry_values(scope, data.get("computed") or {})
    params = {name: value_type(spec.get("type", "text"))
              for name, spec in (data.get("parameters") or {}).items() if isinstance(spec, Mapping)}
    scope["param"] = T.ObjectType(params, "param")
    scope["municipality"] = MUNICIPALITY_TYPE
    scope["person"] = PERSON_TYPE
    lookups = data.get("lookups")
    if isinstance(lookups, Mapping) and lookups:
        scope["lookup"] = lookup_type({name: spec.get("register") for name, spec in lookups.items()
                                       if isinstance(spec, Mapping)})
    return scope


def _add_entry_values(scope: dict[str, T.Type], computed: Mapping[str, Any]) -> None:
    """Per-entry computed values (`for_each: <repeat>`): a member of the repeat's entries
    (`item.<name>`, `t.<name>` in a macro) and a list `<name>` at the top level."""
    for name, spec in computed.items():
        repeat = spec.get("for_each") if isinstance(spec, Mapping) else None
        entries = scope.get(repeat) if isinstance(repeat, str) else None
        if not (isinstance(entries, T.ListType) and isinstance(entries.elem, T.ObjectType)):
            continue                  # not a repeat: E408 (check_for_each)
        kind = value_type(spec.get("type", "text"))
        members = {**entries.elem.fields}
        members.setdefault(name, kind)
        scope[repeat] = T.ListType(T.ObjectType(members, entries.elem.name))
        scope.setdefault(name, T.ListType(kind))


def item_scope(scope: Mapping[str, T.Type], repeat: str | None) -> dict[str, T.Type]:
    """The scope inside a `for_each` over `repeat`: adds `item` and `index`."""
    if repeat is None:
        return dict(scope)
    repeat_type = scope.get(repeat)
    element = getattr(repeat_type, "elem", None) or T.DYN
    return {**scope, "item": element, "index": T.INT}
