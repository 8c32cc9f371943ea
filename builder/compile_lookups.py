"""Compile `lookups:`: each names a register (builder.registers) and the key to look up,
an expression over the answers (not over computed values or other look-ups, which may
depend on it). What the register answers is `lookup.<name>` in every other expression."""
from __future__ import annotations

from typing import Mapping

from .expressions import types as T
from .fieldtypes import FIELD_TYPES
from .model import Field, Lookup, frozen_map
from .problems import did_you_mean
from .registers import REGISTERS
from .unit import Unit

NAME = "lookup"


def key_scope(unit: Unit) -> dict[str, T.Type]:
    """What a key sees: the answers, `param`, `municipality` and `person`; not computed
    values or `lookup`, so that a key never depends on what it looks up."""
    computed = set(unit.get(("computed",), {}) or {})
    return {name: kind for name, kind in unit.scope.items() if name not in computed and name != NAME}


def compile_lookups(unit: Unit, index: Mapping[str, Field]) -> tuple[Lookup, ...]:
    scope = key_scope(unit)
    found = []
    for name, spec in (unit.get(("lookups",), {}) or {}).items():
        path = ("lookups", name)
        if spec.get("register") not in REGISTERS:
            continue                               # the schema's enum reports it (E204)
        key = unit.expr(path + ("key",), T.STRING, scope)
        when = unit.expr(path + ("when",), T.BOOL, scope)
        fields = tuple(spec.get("fields", ()))
        for position, field in enumerate(fields):
            if field not in index:
                unit.report("E402", f'lookups.{name}.fields: no field "{field}".{did_you_mean(field, index)}',
                            path + ("fields", position))
        fill = _fill(unit, name, spec, index)
        if key is not None:
            fields = fields or tuple(sorted(p for p in key.paths if p in index))[:1]
            found.append(Lookup(name, spec["register"], key, when, bool(spec.get("manual", True)), fields,
                                frozen_map(fill)))
    return tuple(found)


def _fill(unit: Unit, name: str, spec: Mapping, index: Mapping[str, Field]) -> dict[str, str]:
    """`fill: {field path: member}`: each a field outside repeats, each member one the
    register answers, of a type the field holds."""
    register = REGISTERS[spec["register"]]
    checked = {}
    for path, member in (spec.get("fill") or {}).items():
        where = ("lookups", name, "fill", path)
        field = index.get(path)
        if field is None or any(index[p].type == "repeat" for p in _ancestors(path) if p in index):
            unit.report("E402", f'lookups.{name}.fill: "{path}" is not a field outside a repeat.'
                                f'{did_you_mean(path, index)}', where)
        elif member not in register.members:
            unit.report("E303", f'lookups.{name}.fill.{path}: {register.id} answers no "{member}"; it answers '
                                f'{", ".join(register.members)}.{did_you_mean(member, register.members)}', where)
        elif not _holds(field, register.members[member]):
            unit.report("E306", f'lookups.{name}.fill.{path}: "{member}" is {_article(register.members[member])}, '
                                f'which a {field.type} field cannot hold', where)
        else:
            checked[path] = member
    return checked


def _ancestors(path: str) -> list[str]:
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _holds(field: Field, member: T.Type) -> bool:
    kind = FIELD_TYPES.get(field.type)
    return kind is not None and kind.expr is not None and T.is_assignable(kind.expr, member)


def _article(kind: T.Type) -> str:
    return f"a {kind}" if str(kind)[0] not in "aeiou" else f"an {kind}"


def check_reserved(unit: Unit) -> None:
    """With look-ups declared, `lookup` names them: no field or computed value may take it."""
    if not unit.get(("lookups",)):
        return
    for section in ("fields", "computed"):
        if NAME in (unit.get((section,), {}) or {}):
            unit.report("E401", f'{section}.{NAME}: the name "{NAME}" names the look-ups (lookup.<name>); '
                                f'rename the {section[:-1] if section == "fields" else "computed value"}',
                        (section, NAME))
