"""Compile the logic sections: parameters, computed values, pages, rules and fees."""
from __future__ import annotations

import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Mapping

from . import paramtypes
from . import scope as S
from .expressions import EvaluationError
from .expressions import types as T
from .money import to_cents
from .model import (AssessedFee, ChoiceOption, Computed, Exemption, FeeLine, Fees, Page, Parameter,
                    Reduction, Rule, Text)
from .unit import Unit, dotted
from .yamlload import Path

PARAMETER_TYPES = {"money", "number", "percent", "integer", "boolean", "text", "date", "options", "table",
                   "codes", "bands", "yearly_date"}


def compile_parameters(unit: Unit) -> dict[str, Parameter]:
    params = {}
    for name, spec in unit.get(("parameters",), {}).items():
        path = ("parameters", name)
        default = coerce_parameter(spec["type"], spec.get("default"))
        bounds = (paramtypes.finite_decimal(spec.get("min")), paramtypes.finite_decimal(spec.get("max")))
        parameter = Parameter(name, spec["type"], default, unit.text(path + ("label",)), *bounds,
                              MappingProxyType(dict(spec.get("columns") or {})))
        if spec.get("default") is not None and default is None:
            unit.report("E409", f"{dotted(path)}.default does not fit type {spec['type']}",
                        path + ("default",))
        elif (outside := value_problem(parameter, default)) is not None:
            unit.report("E409", f"{dotted(path)}.default: {outside}", path + ("default",))
        params[name] = parameter
    return params


def value_problem(parameter: Parameter, value: Any) -> str | None:
    """What is wrong with a (coerced) value beyond its type: outside min/max (a number, or
    any row of a table), bands out of order, an option column of the wrong type. The
    default and every municipality's value are held to it (E409, E603)."""
    if parameter.type == "table" and isinstance(value, Mapping):
        return next((f"row {key}: {why}" for key, row in value.items()
                     if (why := out_of_range(parameter, row)) is not None), None)
    if parameter.type == "bands" and value is not None:
        return paramtypes.band_problem(value)
    if parameter.type == "options" and parameter.columns and value is not None:
        return paramtypes.column_problem(value, parameter.columns)
    return out_of_range(parameter, value)


def out_of_range(parameter: Parameter, value: Any) -> str | None:
    """Why a (coerced) parameter value is outside the parameter's min/max, or None.
    Municipalities' values are held to the same bounds as the default (E603)."""
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return None
    if parameter.minimum is not None and value < parameter.minimum:
        return f"{value} is below the minimum {parameter.minimum}"
    if parameter.maximum is not None and value > parameter.maximum:
        return f"{value} is above the maximum {parameter.maximum}"
    return None


def coerce_parameter(kind: str, raw: Any) -> Any:
    """A parameter value of declared type `kind` as the runtime uses it, or None if it
    does not fit. Money and numbers are exact decimals; options become ChoiceOptions."""
    if raw is None:
        return None
    if kind in ("money", "number", "percent"):
        value = paramtypes.finite_decimal(raw)
        if value is None or (kind == "percent" and not 0 <= value <= 100):
            return None
        return to_cents(value) if kind == "money" else value
    if kind == "integer":
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    if kind == "boolean":
        return raw if isinstance(raw, bool) else None
    if kind == "date":
        return _date(raw)
    if kind == "options":
        return _options(raw)
    if kind == "table":
        return _table(raw)
    if kind in _STRUCTURED:
        return _STRUCTURED[kind](raw)
    return raw if isinstance(raw, str) else None


_STRUCTURED = {"codes": paramtypes.read_codes, "bands": paramtypes.read_bands,
               "yearly_date": paramtypes.read_yearly_date}


def _date(raw: Any):
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        return None


def _options(raw: Any) -> tuple[ChoiceOption, ...] | None:
    if not isinstance(raw, list) or not all(isinstance(o, Mapping) and "value" in o for o in raw):
        return None
    return tuple(ChoiceOption(str(o["value"]), Text(o.get("label") or str(o["value"])),
                              dict(o.get("extra") or {})) for o in raw)


def _table(raw: Any) -> Mapping[str, Decimal] | None:
    if not isinstance(raw, Mapping):
        return None
    table = {str(key): paramtypes.finite_decimal(value) for key, value in raw.items()}
    return None if any(v is None for v in table.values()) else table


def compile_computed(unit: Unit) -> dict[str, Computed]:
    computed = {}
    for name, spec in unit.get(("computed",), {}).items():
        path = ("computed", name)
        scope = S.item_scope(unit.scope, spec.get("for_each"))
        expr = unit.expr(path + ("expr",), S.value_type(spec["type"]), scope)
        if expr is not None:
            computed[name] = Computed(name, spec["type"], expr, unit.text(path + ("label",)), spec.get("for_each"))
    return computed


def compile_pages(unit: Unit) -> tuple[Page, ...]:
    pages = []
    for index, spec in enumerate(unit.get(("pages",), [])):
        path = ("pages", index)
        pages.append(Page(spec["id"], unit.text(path + ("title",), fallback=spec["id"]),
                          tuple(spec.get("fields", ())), unit.expr(path + ("when",), T.BOOL),
                          unit.text(path + ("intro",)), tuple(spec.get("show", ()))))
    return tuple(pages)


def compile_rules(unit: Unit) -> tuple[Rule, ...]:
    rules = []
    for index, spec in enumerate(unit.get(("rules",), [])):
        path = ("rules", index)
        scope = S.item_scope(unit.scope, spec.get("for_each"))
        check = unit.expr(path + ("check",), T.BOOL, scope)
        if check is None:
            continue
        rules.append(Rule(spec["id"], check, unit.message(path + ("message",), scope, fallback=spec["id"]),
                          spec.get("severity", "error"), unit.expr(path + ("when",), T.BOOL, scope),
                          spec.get("for_each"), tuple(spec.get("fields", ()))))
    return tuple(rules)


def compile_fees(unit: Unit) -> Fees:
    spec = unit.get(("fees",), {})
    lines = tuple(line for index in range(len(spec.get("lines", [])))
                  if (line := _fee_line(unit, ("fees", "lines", index))) is not None)
    return Fees(currency=spec.get("currency", "EUR"), lines=lines,
                exemptions=_exemptions(unit, ("fees", "exemptions"), unit.scope),
                reference=unit.template(("fees", "reference")),
                due=unit.expr(("fees", "due"), T.DATE, unit.scope), assessed=_assessed(unit))


def _assessed(unit: Unit) -> tuple[AssessedFee, ...]:
    found = []
    for index, spec in enumerate(unit.get(("fees", "assessed"), [])):
        here = ("fees", "assessed", index)
        when = unit.expr(here + ("when",), T.BOOL, unit.scope)
        if when is not None:
            found.append(AssessedFee(spec["id"], unit.text(here + ("label",), fallback=spec["id"]), when,
                                     tuple(spec.get("by") or ("clerk",)), unit.template(here + ("reference",))))
    return tuple(found)


def _fee_line(unit: Unit, path: Path) -> FeeLine | None:
    spec = unit.get(path)
    scope = S.item_scope(unit.scope, spec.get("for_each"))
    amount = unit.expr(path + ("amount",), T.NUMBER, scope)
    if amount is None:
        return None
    return FeeLine(
        id=spec["id"], label=unit.text(path + ("label",), fallback=spec["id"]), amount=amount,
        quantity=unit.expr(path + ("quantity",), T.NUMBER, scope),
        for_each=spec.get("for_each"), when=unit.expr(path + ("when",), T.BOOL, scope),
        exemptions=_exemptions(unit, path + ("exemptions",), scope),
        reductions=_reductions(unit, path + ("reductions",), {**scope, "line_amount": T.NUMBER}),
        combine=spec.get("combine", "best"),
        vat_percent=unit.expr(path + ("vat_percent",), T.NUMBER, scope),
        reference=unit.template(path + ("reference",), scope),
    )


def _exemptions(unit: Unit, path: Path, scope) -> tuple[Exemption, ...]:
    result = []
    for index, spec in enumerate(unit.get(path, [])):
        when = unit.expr(path + (index, "when"), T.BOOL, scope)
        if when is not None:
            result.append(Exemption(spec["id"], when, unit.text(path + (index, "label"), fallback=spec["id"])))
    return tuple(result)


def _reductions(unit: Unit, path: Path, scope) -> tuple[Reduction, ...]:
    result = []
    for index, spec in enumerate(unit.get(path, [])):
        here = path + (index,)
        when = unit.expr(here + ("when",), T.BOOL, scope)
        if when is None:
            continue
        percent = unit.expr(here + ("percent",), T.NUMBER, scope)
        amount = unit.expr(here + ("amount",), T.NUMBER, scope)
        for key, expr in (("percent", percent), ("amount", amount)):
            if _constant_below_zero(expr):
                unit.report("E411", f"{dotted(here)}.{key} is always below zero; a reduction lowers a line "
                                    f"and never raises it: give a {key} of 0 or more", here + (key,))
        result.append(Reduction(spec["id"], when, unit.text(here + ("label",), fallback=spec["id"]),
                                percent=percent, amount=amount))
    return tuple(result)


def _constant_below_zero(expr) -> bool:
    """Whether `expr` uses no answer, parameter or other name and gives a negative number."""
    if expr is None or expr.names:
        return False
    try:
        value = expr.evaluate({}, datetime.date.today())
    except EvaluationError:
        return False
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value < 0
