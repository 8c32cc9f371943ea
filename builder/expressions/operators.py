"""Static typing of the operators: which operand types fit, and what they give."""
from __future__ import annotations

from . import types as T

ORDERING = ("<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/", "%")
_ORDERED_KINDS = (T.STRING, T.DATE, T.DATETIME, T.TIME)


def binary_result(op: str, a: T.Type, b: T.Type) -> T.Type | None:
    """The result type of `a op b`, or None when the operands do not fit the operator."""
    if op in ("==", "!="):
        return T.BOOL if T.is_comparable(a, b) else None
    if op == "in":
        return T.BOOL if _fits_in(a, b) else None
    if op in ORDERING:
        return T.BOOL if _orderable(a, b) else None
    return _arithmetic(op, a, b)


def _fits_in(item: T.Type, container: T.Type) -> bool:
    if container == T.DYN:
        return True
    if isinstance(container, T.ListType):
        return T.is_comparable(container.elem, item)
    if isinstance(container, T.MapType):
        return T.is_comparable(container.key, item)
    return False


def _orderable(a: T.Type, b: T.Type) -> bool:
    if a == T.DYN:
        a, b = b, a
    if b == T.DYN:
        return a == T.DYN or T.is_numeric(a) or a in _ORDERED_KINDS
    if T.is_numeric(a) and T.is_numeric(b):
        return True
    return a == b and a in _ORDERED_KINDS


def _arithmetic(op: str, a: T.Type, b: T.Type) -> T.Type | None:
    if T.NULL in (a, b):
        return None
    if T.is_numeric(a) and T.is_numeric(b):
        return T.INT if a == b == T.INT else T.NUMBER
    if T.DYN in (a, b):
        other = b if a == T.DYN else a
        if other == T.DYN:
            return T.DYN
        if T.is_numeric(other):
            return T.NUMBER
        if op == "+" and (other == T.STRING or isinstance(other, T.ListType)):
            return other
        return None
    if op == "+" and a == b == T.STRING:
        return T.STRING
    if op == "+" and isinstance(a, T.ListType) and isinstance(b, T.ListType):
        return T.unify(a, b)
    return None


def mismatch_hint(op: str, a: T.Type, b: T.Type) -> str:
    """How to fix an operator whose operands do not fit."""
    if op == "-" and a == b == T.DATE:
        return "Use days_between(a, b) for the days between two dates."
    if op == "+" and T.DATE in (a, b):
        return "Use date_add(d, days) or add_months(d, n) to move a date."
    if op == "-" and a == b and a in (T.DATETIME, T.TIME):
        return "Use hours_between(a, b) or minutes_between(a, b) for the time between them."
    if op == "+" and T.DATETIME in (a, b):
        return "Use add_hours(t, n) or add_minutes(t, n) to move a date and time."
    if {a, b} in ({T.DATE, T.DATETIME}, {T.TIME, T.DATETIME}):
        return "Use date(t) or time(t) for the date or time of a date and time, or datetime(d, t) to join them."
    if op in ARITHMETIC and T.STRING in (a, b):
        return "Convert with int(), double() or string() so both sides have the same type."
    if T.NULL in (a, b):
        return "null can only be compared with == or !=."
    if op == "in":
        return "The right side of \"in\" must be a list or a map of matching items."
    if op in ("==", "!="):
        return "Compare values of the same type."
    return "Both sides must be numbers (or, for some operators, both strings, dates or lists)."
