"""Compile the `fields` section: the data model, recursively through groups and repeats.

Expressions on a field (`when`, `required`, `min`, `max`, `choice_filter`) see the
service scope; inside a repeat they also see `item` (the current entry) and `index`.
"""
from __future__ import annotations

import re
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Mapping

from . import scope as S
from .expressions import types as T
from .fieldtypes import field_type
from .model import ChoiceOption, ChoiceSource, Field
from .paramtypes import column_types
from .problems import did_you_mean
from .unit import Unit, dotted
from .yamlload import Path


# A normalisation sees only the answer being read, as `value` (the other answers are not read yet)
NORMALISE_SCOPE = {"value": T.STRING}


class ChoiceLists:
    """Resolves a field's `choices` name: the service's own lists, shared code lists,
    or `param.<name>` for an `options` parameter set per municipality."""

    def __init__(self, inline: Mapping[str, tuple[ChoiceOption, ...]],
                 shared: Mapping[str, tuple[ChoiceOption, ...]],
                 option_params: Mapping[str, tuple[ChoiceOption, ...]],
                 columns: Mapping[str, Mapping[str, str]] | None = None):
        """`option_params`: each `options` parameter's default list, whose `extra`
        columns a choice filter may use (a municipality's list should keep them);
        `columns`: the declared column types of those that declare them."""
        self.inline, self.shared, self.option_params = inline, shared, option_params
        self.columns = columns or {}

    def column_types(self, source: ChoiceSource | None) -> dict[str, T.Type]:
        """Declared column types of an `options` parameter (checked in every overlay)."""
        declared = self.columns.get(source.parameter, {}) if source is not None and source.parameter else {}
        return column_types(declared)

    def resolve(self, name: str) -> ChoiceSource | None:
        if name.startswith("param."):
            param = name.removeprefix("param.")
            return ChoiceSource(name, parameter=param) if param in self.option_params else None
        options = self.inline.get(name, self.shared.get(name))
        return ChoiceSource(name, options=options) if options is not None else None

    def extra_keys(self, source: ChoiceSource | None) -> set[str]:
        if source is None:
            return set()
        options = self.option_params.get(source.parameter) or () if source.parameter else source.options
        return {key for option in options for key in option.extra} | set(self.column_types(source))

    def known(self) -> list[str]:
        return [*self.inline, *self.shared, *(f"param.{p}" for p in self.option_params)]


def compile_fields(unit: Unit, choices: ChoiceLists) -> tuple[Field, ...]:
    specs = unit.get(("fields",), {})
    return tuple(_compile_field(unit, choices, name, ("fields", name), "", None)
                 for name in specs)


def _compile_field(unit: Unit, choices: ChoiceLists, name: str, path: Path,
                   prefix: str, repeat: str | None) -> Field:
    spec: Mapping[str, Any] = unit.get(path, {})
    kind = spec["type"]
    scope = S.item_scope(unit.scope, repeat)
    field_path = f"{prefix}{name}"
    children: tuple[Field, ...] = ()
    if kind in ("group", "repeat"):
        inner_repeat = field_path if kind == "repeat" and repeat is None else repeat
        children = tuple(
            _compile_field(unit, choices, child, path + ("fields", child), f"{field_path}.", inner_repeat)
            for child in spec.get("fields", {}))
    required = spec.get("required", kind not in ("group", "repeat"))
    return Field(
        name=name, path=field_path, type=kind,
        label=unit.text(path + ("label",), fallback=_humanise(name)),
        hint=unit.text(path + ("hint",)),
        required=required is True,
        required_when=unit.expr(path + ("required",), T.BOOL, scope) if isinstance(required, str) else None,
        when=unit.expr(path + ("when",), T.BOOL, scope),
        readonly=bool(spec.get("readonly", False)),
        prefill=_prefill(unit, path, spec.get("prefill")),
        default=spec.get("default"),
        min_length=spec.get("min_length"), max_length=spec.get("max_length"),
        pattern=_pattern(unit, path, spec.get("pattern")), pattern_message=unit.message(path + ("pattern_message",), scope),
        messages=_messages(unit, path, spec, scope),
        normalise=unit.expr(path + ("normalise",), T.STRING, NORMALISE_SCOPE),
        minimum=_bound(unit, path, "min", kind, scope), maximum=_bound(unit, path, "max", kind, scope),
        decimals=spec.get("decimals", 2 if kind == "money" else None), unit=unit.text(path + ("unit",)),
        choices=_choices(unit, choices, path, spec),
        choice_filter=_choice_filter(unit, choices, path, spec, scope),
        display=spec.get("display"),
        min_items=spec.get("min_items", spec.get("min") if kind == "repeat" else None),
        max_items=spec.get("max_items", spec.get("max") if kind == "repeat" else None),
        accept=tuple(spec.get("accept", ())),
        max_size_mb=Decimal(str(spec["max_size_mb"])) if "max_size_mb" in spec else None,
        max_files=spec.get("max_files"),
        document=spec.get("document"),
        item_label=unit.text(path + ("item_label",)),
        country=spec.get("country"),
        children=children,
    )


def _messages(unit: Unit, path: Path, spec: Mapping[str, Any], scope) -> Mapping[str, Any]:
    """The field's own words per check (`messages: {required: ..., too_long: ...}`)."""
    return MappingProxyType({check: unit.message(path + ("messages", check), scope)
                             for check in spec.get("messages") or {}})


def _humanise(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _bound(unit: Unit, path: Path, key: str, kind: str, scope) -> Any:
    bound = field_type(kind).bound
    return None if bound is None else unit.expr(path + (key,), bound, scope)


def _pattern(unit: Unit, path: Path, pattern: str | None) -> str | None:
    """The pattern, checked now: a broken one would otherwise fail on a resident's answer."""
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        unit.report("E410", f"{dotted(path)}.pattern: not a valid regular expression ({exc}); "
                            f"escape special characters such as [ ( . with a backslash", path + ("pattern",))
        return None
    return pattern


def _prefill(unit: Unit, path: Path, source: Any) -> str | None:
    if source is None:
        return None
    root, _, member = str(source).partition(".")
    allowed = {"person": S.PERSON_TYPE, "municipality": S.MUNICIPALITY_TYPE}
    fields = getattr(allowed.get(root), "fields", None)
    if fields is None or member not in fields:
        names = [f"{r}.{m}" for r, t in allowed.items() for m in t.fields]
        unit.report("E402", f"{dotted(path)}.prefill: unknown source \"{source}\"; use one of "
                            f"{', '.join(names)}.{did_you_mean(str(source), names)}", path + ("prefill",))
        return None
    return str(source)


def _choices(unit: Unit, choices: ChoiceLists, path: Path, spec: Mapping) -> ChoiceSource | None:
    name = spec.get("choices")
    if name is None:
        return None
    source = choices.resolve(str(name))
    declared = unit.get(("parameters",), {})
    parameter = str(name).removeprefix("param.")
    if source is None and str(name).startswith("param.") and parameter not in declared:
        unit.report("E404", f"{dotted(path)}.choices: no parameter \"{parameter}\" in `parameters`; declare it "
                            f"with type options.{did_you_mean(parameter, declared)}", path + ("choices",))
    elif source is None:
        unit.report("E403", f"{dotted(path)}.choices: no choice list \"{name}\" in this service's "
                            f"`choices`, in definitions/codelists/ or among `options` parameters."
                            f"{did_you_mean(str(name), choices.known())}", path + ("choices",))
    return source


def _choice_filter(unit: Unit, choices: ChoiceLists, path: Path, spec: Mapping, scope):
    if "choice_filter" not in spec:
        return None
    source = choices.resolve(str(spec.get("choices", "")))
    option = S.option_type(choices.extra_keys(source), choices.column_types(source))
    return unit.expr(path + ("choice_filter",), T.BOOL, {**scope, "option": option})


def choice_types(specs: Mapping[str, Any], choices: ChoiceLists, prefix: str = "") -> dict[str, T.Type]:
    """The option type of every `choice` field by its path, for `option_of(field)`:
    {value, label, extra} with the list's extra columns typed from its options."""
    found: dict[str, T.Type] = {}
    for name, spec in specs.items():
        if not isinstance(spec, Mapping):
            continue
        path = f"{prefix}{name}"
        if spec.get("type") == "choice" and spec.get("choices") is not None:
            found[path] = _option_type(choices, choices.resolve(str(spec["choices"])))
        elif spec.get("type") in ("group", "repeat") and isinstance(spec.get("fields"), Mapping):
            found.update(choice_types(spec["fields"], choices, f"{path}."))
    return found


def _option_type(choices: ChoiceLists, source: ChoiceSource | None) -> T.Type:
    """A fixed list's extra columns get the type all its values share (else dyn); a
    municipality's `options` parameter may differ from its default, so its columns are dyn
    unless the parameter declares their types (`columns`, checked in every overlay)."""
    options = () if source is None or source.parameter else source.options
    declared = choices.column_types(source)
    extra = {key: declared.get(key) or _column_type([o.extra[key] for o in options if key in o.extra])
             for key in sorted(choices.extra_keys(source))}
    return T.ObjectType({"value": T.STRING, "label": T.STRING, "extra": T.ObjectType(extra, "extra")}, "option")


def _column_type(values: list) -> T.Type:
    kinds = {T.BOOL if isinstance(v, bool) else T.NUMBER if isinstance(v, (int, Decimal, float))
             else T.STRING if isinstance(v, str) else T.DYN for v in values}
    return kinds.pop() if len(kinds) == 1 else T.DYN


def compile_options(unit: Unit, path: Path) -> tuple[ChoiceOption, ...]:
    """A list of choice options ({value, label, extra}) at `path`."""
    options = []
    for index, raw in enumerate(unit.get(path, [])):
        label = unit.text(path + (index, "label"), fallback=str(raw.get("value")))
        options.append(ChoiceOption(str(raw["value"]), label, dict(raw.get("extra") or {})))
    return tuple(options)


def walk(fields: tuple[Field, ...]):
    """Every field, depth first, in document order."""
    for field in fields:
        yield field
        yield from walk(field.children)

