"""Run-time operations on values: exact decimal arithmetic with CEL's integer rules.

Values are int, Decimal, str, bool, datetime.date, list, dict and None. Decimal work uses
its own context so that a caller's decimal settings never change results.
"""
from __future__ import annotations

import datetime as dt
import decimal
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..money import MONEY_ROUNDING
from .errors import EvaluationError, MissingValue

CONTEXT = decimal.Context(prec=28, rounding=MONEY_ROUNDING, Emax=999999, Emin=-999999,
                          traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1  # CEL ints are 64-bit: also stops runaway growth
MAX_REGEX_LENGTH = 500


def check_int(value: int) -> int:
    if INT_MIN <= value <= INT_MAX:
        return value
    raise EvaluationError("Integer overflow: the result is outside the 64-bit range.")


def number(value: Any, op: str) -> int | Decimal:
    """`value` as an arithmetic operand, or the reason it cannot be one."""
    if value is None:
        raise MissingValue(f"A missing value was used in {op}.")
    if type(value) is int or type(value) is Decimal:
        return value
    if isinstance(value, float):  # tolerated from callers, made exact via its shortest repr
        return Decimal(repr(value))
    raise EvaluationError(f"{op} needs numbers, not {type_name(value)}.")


def decimal_op(name: str, a: Any, b: Any) -> Decimal:
    try:
        return getattr(CONTEXT, name)(a, b)
    except decimal.DivisionByZero:
        raise EvaluationError("Division by zero.") from None
    except ArithmeticError as exc:
        raise EvaluationError(f"Arithmetic error: {exc.__class__.__name__}.") from None


def add(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return check_int(a + b)
    if isinstance(a, str) and isinstance(b, str):
        return a + b
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    return decimal_op("add", number(a, "+"), number(b, "+"))


def subtract(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return check_int(a - b)
    return decimal_op("subtract", number(a, "-"), number(b, "-"))


def multiply(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return check_int(a * b)
    return decimal_op("multiply", number(a, "*"), number(b, "*"))


def divide(a: Any, b: Any) -> Any:
    a, b = number(a, "/"), number(b, "/")
    if b == 0:
        raise EvaluationError("Division by zero.")
    if type(a) is int and type(b) is int:
        quotient = abs(a) // abs(b)  # CEL integer division truncates toward zero
        return check_int(quotient if (a < 0) == (b < 0) else -quotient)
    return decimal_op("divide", a, b)


def modulo(a: Any, b: Any) -> Any:
    a, b = number(a, "%"), number(b, "%")
    if b == 0:
        raise EvaluationError("Modulo by zero.")
    if type(a) is int and type(b) is int:
        remainder = abs(a) % abs(b)  # the sign follows the dividend, as in CEL
        return remainder if a >= 0 else -remainder
    return decimal_op("remainder", a, b)


def negate(a: Any) -> Any:
    a = number(a, "-")
    return check_int(-a) if type(a) is int else CONTEXT.minus(a)


def ordered(a: Any, b: Any, op: str) -> tuple[Any, Any]:
    """Operands of < <= > >=, checked to be of one orderable kind."""
    if a is None or b is None:
        raise MissingValue(f"A missing value was compared with {op}.")
    if _kind(a) == _kind(b) in ("number", "string", "date", "datetime", "time"):
        return a, b
    raise EvaluationError(f"Cannot compare {type_name(a)} with {type_name(b)} using {op}.")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, Decimal, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, dict):
        return "map"            # the language's word; a message never says Python's "dict"
    return type(value).__name__


def type_name(value: Any) -> str:
    return "null" if value is None else _kind(value)


def truth(value: Any, what: str) -> bool:
    if value is True or value is False:
        return value
    if value is None:
        raise MissingValue(f"A missing value was used as a condition in {what}.")
    raise EvaluationError(f"{what} needs true or false, not {type_name(value)}.")


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> re.Pattern:
    """A compiled regular expression; raises ValueError with a readable reason."""
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ValueError(f"the regular expression is longer than {MAX_REGEX_LENGTH} characters")
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None


def regex_search(text: str, pattern: str) -> bool:
    try:
        return compile_regex(pattern).search(text) is not None
    except ValueError as exc:
        raise EvaluationError(str(exc)[0].upper() + str(exc)[1:] + ".") from None


def to_text(value: Any) -> str:
    """How a value is shown in templates and by string(): plain decimals, ISO dates."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (dt.datetime, dt.time)):
        return value.isoformat(timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(to_text(v) for v in value)
    return str(value)
