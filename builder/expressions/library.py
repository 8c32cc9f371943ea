"""The function library: typed overloads and their run-time implementations.

A function is found by name (and for methods like `s.startsWith(p)` by method name, with
the receiver as the first parameter); the first overload whose parameters accept the
argument types wins. Implementations never see null: the compiler raises MissingValue.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..money import MONEY_ROUNDING
from . import dates as cal
from . import moments
from . import types as T
from .errors import EvaluationError, MissingValue
from .values import CONTEXT, check_int, compile_regex, number, regex_search, to_text

ResultRule = Callable[[tuple[T.Type, ...]], T.Type]


@dataclass(frozen=True)
class Overload:
    name: str
    params: tuple[T.Type, ...]
    result: T.Type | ResultRule
    impl: Callable[..., Any]
    needs_today: bool = False  # the implementation gets the evaluation date first
    shown: str = ""  # the signature as shown in messages, when the types alone mislead
    exact: bool = False  # only for exactly these types (a dyn argument takes a later overload)

    def accepts(self, args: tuple[T.Type, ...]) -> bool:
        if self.exact:
            return args == self.params
        return len(args) == len(self.params) and all(
            T.is_assignable(p, a) for p, a in zip(self.params, args))

    def result_type(self, args: tuple[T.Type, ...]) -> T.Type:
        return self.result(args) if callable(self.result) else self.result

    def signature(self) -> str:
        if self.shown:
            return self.shown
        result = "" if callable(self.result) else f" -> {self.result}"
        return f"{self.name}({', '.join(map(str, self.params))}){result}"


def _elements(values: list, what: str) -> list:
    if any(v is None for v in values):
        raise MissingValue(f"{what}() got a list with a missing value.")
    return values


def _sum(values: list) -> Any:
    total: Any = 0
    for value in _elements(values, "sum"):
        value = number(value, "sum()")
        total = check_int(total + value) if type(total) is int and type(value) is int \
            else CONTEXT.add(total, value)
    return total


def _count_true(values: list) -> int:
    """How many are true: an unanswered yes/no (null) is not a yes."""
    return sum(1 for v in values if v is True)


def _count(values: list) -> int:
    """Of a list of booleans (known only at run time for dyn), the true ones; else the size."""
    if values and all(v is True or v is False or v is None for v in values):
        return sum(1 for v in values if v is True)
    return len(values)


def _tally(values: list) -> dict:
    """How many times each value occurs: one pass, so that a uniqueness rule inside `for_each`
    (`tally(dogs.map(d, d.chip))[item.chip] == 1`, worked out once per loop) is not all pairs."""
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def _extreme(pick: Callable) -> Callable[[list], Any]:
    def extreme(values: list) -> Any:
        if not values:
            raise MissingValue(f"{pick.__name__}() of an empty list has no value.")
        return pick(_elements(values, pick.__name__))
    return extreme


def _round(value: Any, places: int) -> Decimal:
    if not -28 <= places <= 28:
        raise EvaluationError("round() takes between -28 and 28 places.")
    try:
        return Decimal(number(value, "round()")).quantize(
            Decimal(1).scaleb(-places), rounding=MONEY_ROUNDING, context=CONTEXT)
    except ArithmeticError:
        raise EvaluationError("round(): the number is too large for that many places.") from None


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        raise EvaluationError("int() cannot convert a bool.")
    try:
        return check_int(int(value.strip()) if isinstance(value, str) else int(value))
    except (ValueError, ArithmeticError):
        raise EvaluationError(f'int(): "{value}" is not a whole number.') from None


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise EvaluationError("double() cannot convert a bool.")
    try:
        result = Decimal(value.strip()) if isinstance(value, str) else Decimal(number(value, "double()"))
    except ArithmeticError:
        raise EvaluationError(f'double(): "{value}" is not a number.') from None
    if not result.is_finite():
        raise EvaluationError(f'double(): "{value}" is not a finite number.')
    return result


def _lookup(table: dict, key: Any) -> Any:
    return table.get(key) if isinstance(table, dict) else None


def _elem_or(default: T.Type) -> ResultRule:
    def rule(args: tuple[T.Type, ...]) -> T.Type:
        arg = args[0]
        return arg.elem if isinstance(arg, T.ListType) and arg.elem != T.NULL else default
    return rule


def _sum_type(args: tuple[T.Type, ...]) -> T.Type:
    return T.INT if isinstance(args[0], T.ListType) and args[0].elem == T.INT else T.NUMBER


def _map_value(args: tuple[T.Type, ...]) -> T.Type:
    return args[0].value if isinstance(args[0], T.MapType) else T.DYN


_NUMS, _STRS, _DATES = T.ListType(T.NUMBER), T.ListType(T.STRING), T.ListType(T.DATE)
_ANY_LIST, _ANY_MAP = T.ListType(T.DYN), T.MapType(T.DYN, T.DYN)
_D, _I, _N, _S, _B = T.DATE, T.INT, T.NUMBER, T.STRING, T.BOOL
_DT, _TM = T.DATETIME, T.TIME


def _day_of(value: Any) -> Any:
    """The date of a date or a date-time (working days count the dates of date-times)."""
    return value.date() if hasattr(value, "hour") and hasattr(value, "date") else value


def _on_dates(name: str, impl: Callable, params: list[list[T.Type]], result: T.Type) -> list[Overload]:
    """`name`, a function of dates, for each parameter list with date-times: on their dates."""
    return [_o(name, types, result, lambda *args: impl(*(_day_of(a) for a in args))) for types in params]


BAND_TYPE = T.ObjectType({"from": T.NUMBER, "value": T.NUMBER}, "band")


def band_value(bands: list, amount: Any) -> Any:
    """The value of the band `amount` falls in: the last band whose `from` is at most it
    (thresholds ascend, checked where the bands are set); null below the first band."""
    found = None
    for band in bands:
        if band["from"] <= amount:
            found = band["value"]
    return found


MAX_TEXT_LENGTH = 100_000   # what replace() may build: keeps one evaluation bounded


def _substring(text: str, start: int, end: int | None = None) -> str:
    """Characters from `start` (from 0) up to, not including, `end` (default: the end);
    positions past the end are the end, so substring(s, 0, 2) of "A" is "A"."""
    end = len(text) if end is None else end
    if start < 0 or end < start:
        raise EvaluationError(f"substring(): positions must be 0 or more and in order, not {start} and {end}.")
    return text[start:end]


def _replace(text: str, old: str, new: str) -> str:
    if old == "":
        raise EvaluationError("replace(): the text to replace is empty.")
    if text.count(old) * max(len(new) - len(old), 0) + len(text) > MAX_TEXT_LENGTH:
        raise EvaluationError("replace(): the result would be too long.")
    return text.replace(old, new)


def _string_overloads(method: bool) -> list[Overload]:
    """upper, lower, trim, replace and substring, as functions (upper(s)) and methods (s.upper())."""
    def shown(name: str, params: str) -> str:
        return f"string.{name}({params}) -> string" if method else f"{name}(string{', ' if params else ''}{params}) -> string"
    return [
        _o("upper", [_S], _S, str.upper, shown=shown("upper", "")),
        _o("lower", [_S], _S, str.lower, shown=shown("lower", "")),
        _o("trim", [_S], _S, str.strip, shown=shown("trim", "")),
        _o("replace", [_S, _S, _S], _S, _replace, shown=shown("replace", "old, new")),
        _o("substring", [_S, _I], _S, _substring, shown=shown("substring", "start")),
        _o("substring", [_S, _I, _I], _S, _substring, shown=shown("substring", "start, end")),
    ]


def _moment_overloads() -> list[Overload]:
    """Date-times and times of day: parsing, parts, durations, and working days on their dates."""
    found = [
        _o("datetime", [_S], _DT, moments.parse_datetime),
        _o("datetime", [_D, _TM], _DT, moments.combine),
        _o("time", [_S], _TM, moments.parse_time),
        _o("time", [_DT], _TM, lambda d: d.time()),
        _o("date", [_DT], _D, lambda d: d.date()),
        _o("hours_between", [_DT, _DT], _N, moments.hours_between),
        _o("hours_between", [_TM, _TM], _N, moments.hours_between),
        _o("minutes_between", [_DT, _DT], _I, moments.minutes_between),
        _o("minutes_between", [_TM, _TM], _I, moments.minutes_between),
        _o("add_hours", [_DT, _I], _DT, lambda d, n: moments.add_minutes(d, check_int(n * 60))),
        _o("add_minutes", [_DT, _I], _DT, moments.add_minutes),
        _o("hour", [_DT], _I, lambda d: d.hour), _o("hour", [_TM], _I, lambda d: d.hour),
        _o("minute", [_DT], _I, lambda d: d.minute), _o("minute", [_TM], _I, lambda d: d.minute),
        _o("is_working_day", [_D], _B, cal.is_working_day),
    ]
    for name in ("year", "month", "day", "day_of_year"):
        found.append(_o(name, [_DT], _I, lambda d, part=name: _DATE_PARTS[part](d.date())))
    pairs = [[_DT, _D], [_D, _DT], [_DT, _DT]]
    found += _on_dates("days_between", cal.days_between, pairs, _I)
    found += _on_dates("working_days_between", cal.working_days_between, pairs, _I)
    found += _on_dates("working_days_add", lambda d, n: cal.working_days_add(d, n), [[_DT, _I]], _D)
    found += _on_dates("is_working_day", cal.is_working_day, [[_DT]], _B)
    return found


_DATE_PARTS: dict[str, Callable[[Any], int]] = {
    "year": lambda d: d.year, "month": lambda d: d.month, "day": lambda d: d.day,
    "day_of_year": lambda d: d.timetuple().tm_yday}


def _o(name, params, result, impl, **kw) -> Overload:
    return Overload(name, tuple(params), result, impl, **kw)


FUNCTIONS: dict[str, list[Overload]] = {}
METHODS: dict[str, list[Overload]] = {}
for _overload in [
    _o("today", [], _D, lambda today: today, needs_today=True),
    _o("date", [_S], _D, cal.parse_date),
    _o("age", [_D], _I, lambda today, d: cal.age(d, today), needs_today=True),
    _o("age", [_D, _D], _I, cal.age),
    _o("months_between", [_D, _D], _I, cal.months_between),
    _o("days_between", [_D, _D], _I, cal.days_between),
    _o("date_add", [_D, _I], _D, cal.date_add),
    _o("add_months", [_D, _I], _D, cal.add_months),
    _o("working_days_between", [_D, _D], _I, cal.working_days_between),
    _o("working_days_add", [_D, _I], _D, cal.working_days_add),
    _o("birth_date", [_S], _D, cal.birth_date),
    # parts of a date, for seasonal rules such as "15 April - 30 June of any year"
    *(_o(part, [_D], _I, impl) for part, impl in _DATE_PARTS.items()),
    _o("sum", [_NUMS], _sum_type, _sum, shown="sum(list(number)) -> number"),
    _o("count", [T.ListType(_B)], _I, _count_true, exact=True, shown="count(list(bool)) -> int"),
    _o("count", [_ANY_LIST], _I, _count, shown="count(list) -> int"),
    _o("tally", [_STRS], T.MapType(_S, _I), _tally, shown="tally(list) -> map(value, int)"),
    _o("tally", [T.ListType(_I)], T.MapType(_I, _I), _tally),
    _o("tally", [_DATES], T.MapType(_D, _I), _tally),
    _o("min", [_NUMS], _elem_or(_N), _extreme(min), shown="min(list(number)) -> number"),
    _o("min", [_STRS], _S, _extreme(min)),
    _o("min", [_DATES], _D, _extreme(min)),
    _o("max", [_NUMS], _elem_or(_N), _extreme(max), shown="max(list(number)) -> number"),
    _o("max", [_STRS], _S, _extreme(max)),
    _o("max", [_DATES], _D, _extreme(max)),
    _o("round", [_N, _I], _N, _round),
    _o("matches", [_S, _S], _B, regex_search),
    _o("lookup", [_ANY_MAP, T.DYN], _map_value, _lookup, shown="lookup(table, key) -> value or null"),
    _o("size", [_S], _I, len),
    _o("size", [_ANY_LIST], _I, len, shown="size(list) -> int"),
    _o("size", [_ANY_MAP], _I, len, shown="size(map) -> int"),
    _o("int", [_N], _I, _to_int),
    _o("int", [_S], _I, _to_int),
    _o("double", [_N], _N, _to_decimal, shown="double(number) -> number"),
    _o("double", [_S], _N, _to_decimal),
    _o("string", [T.DYN], _S, to_text, shown="string(value) -> string"),
    *_moment_overloads(),
    *_string_overloads(method=False),
    _o("band", [T.ListType(BAND_TYPE), _N], _N, band_value, shown="band(bands, number) -> number or null"),
]:
    FUNCTIONS.setdefault(_overload.name, []).append(_overload)

for _overload in [
    _o("matches", [_S, _S], _B, regex_search, shown="string.matches(string) -> bool"),
    _o("startsWith", [_S, _S], _B, str.startswith, shown="string.startsWith(string) -> bool"),
    _o("endsWith", [_S, _S], _B, str.endswith, shown="string.endsWith(string) -> bool"),
    _o("contains", [_S, _S], _B, str.__contains__, shown="string.contains(string) -> bool"),
    _o("size", [_S], _I, len, shown="string.size() -> int"),
    _o("size", [_ANY_LIST], _I, len, shown="list.size() -> int"),
    _o("size", [_ANY_MAP], _I, len, shown="map.size() -> int"),
    *_string_overloads(method=True),
]:
    METHODS.setdefault(_overload.name, []).append(_overload)



def _check_regex(pattern: str) -> None:
    compile_regex(pattern)


def _check_date(text: str) -> None:
    try:
        cal.parse_date(text)
    except EvaluationError as exc:
        raise ValueError(str(exc).rstrip(".")) from None


# Arguments checked at build time when they are string literals: function -> (position, check).
# The position counts a method's receiver, so s.matches(re) and matches(s, re) agree.
def _check_moment(parse: Callable[[str], Any]) -> Callable[[str], None]:
    def check(text: str) -> None:
        try:
            parse(text)
        except EvaluationError as exc:
            raise ValueError(str(exc).rstrip(".")) from None
    return check


LITERAL_CHECKS: dict[str, tuple[int, Callable[[str], None]]] = {
    "matches": (1, _check_regex), "date": (0, _check_date),
    "time": (0, _check_moment(moments.parse_time)), "datetime": (0, _check_moment(moments.parse_datetime))}
