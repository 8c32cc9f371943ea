"""Properties: compiling never crashes, and evaluation fails only with EvaluationError."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st

from builder.expressions import EvaluationError, ExpressionError, compile_expression, compile_template, types as T

SCOPE = {"a": T.INT, "b": T.NUMBER, "s": T.STRING, "d": T.DATE, "f": T.BOOL, "xs": T.ListType(T.NUMBER),
         "o": T.ObjectType({"x": T.NUMBER, "y": T.STRING}, "o"), "any": T.DYN}
TODAY = dt.date(2026, 2, 1)
CEL_ALPHABET = st.sampled_from(list("ab sdfxo.()[]{}+-*/%<>=!&|?:,'\"\\0123456789_\n") +
                               ["in", "null", "true", "has(", "size(", "today()", ".all(", "1.5", "e3"])


def _compiles_or_reports(source: str) -> None:
    try:
        compile_expression(source, SCOPE)
    except ExpressionError as exc:
        assert exc.problems and all(p.code in {"E301", "E302", "E303", "E304", "E305", "E306"}
                                    and p.line >= 1 and p.column >= 1 for p in exc.problems)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=60))
def test_arbitrary_text_compiles_or_raises_expression_error(source):
    _compiles_or_reports(source)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CEL_ALPHABET, max_size=25).map("".join))
def test_cel_like_text_compiles_or_raises_expression_error(source):
    _compiles_or_reports(source)


@settings(max_examples=200)
@given(st.text(max_size=40))
def test_arbitrary_templates_compile_or_raise_expression_error(source):
    try:
        compile_template(source, SCOPE)
    except ExpressionError as exc:
        assert exc.problems


_NUMBERS = st.one_of(st.integers(-10**20, 10**20).map(str),
                     st.decimals(allow_nan=False, allow_infinity=False, places=3,
                                 min_value=-10**9, max_value=10**9).map(lambda d: f"{d:f}"),
                     st.sampled_from(["a", "b", "o.x", "size(xs)", "sum(xs)", "1e300", "9223372036854775807"]))


def _arithmetic(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = children.map(lambda c: f"-({c})")
    call = st.tuples(children, st.integers(-3, 3)).map(lambda t: f"round({t[0]}, {t[1]})")
    return st.one_of(binary, unary, call)


ARITHMETIC = st.recursive(_NUMBERS, _arithmetic, max_leaves=12)
VALUES = st.fixed_dictionaries({}, optional={
    "a": st.integers(-10**6, 10**6), "b": st.decimals(allow_nan=False, allow_infinity=False, places=2),
    "xs": st.lists(st.integers(-100, 100) | st.just(Decimal("0.5")), max_size=3),
    "o": st.fixed_dictionaries({}, optional={"x": st.integers(-5, 5)}) | st.none(),
})


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(ARITHMETIC, VALUES, st.sampled_from(["", " > 0", " == 0 || f", " <= b && !f"]))
def test_random_arithmetic_fails_only_with_evaluation_error(source, variables, tail):
    expr = compile_expression(source + tail, SCOPE)
    try:
        result = expr.evaluate({**variables, "f": False}, TODAY)
    except EvaluationError:
        return
    assert result is None or isinstance(result, (int, Decimal, bool))  # never a float


@settings(max_examples=200)
@given(st.sampled_from(["any + 1", "any < 2", "any.x", "any[0]", "size(any)", "any ? 1 : 2",
                        "any.all(x, x)", "string(any)", "int(any)", "any in any", "-any", "!any"]),
       st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3), st.dates(),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2)))
def test_dynamic_values_fail_only_with_evaluation_error(source, value):
    try:
        compile_expression(source, SCOPE).evaluate({"any": value}, TODAY)
    except EvaluationError:
        pass


MOMENT_SCOPE = {**SCOPE, "t": T.DATETIME, "u": T.DATETIME, "h": T.TIME, "k": T.TIME}
_MOMENT_CALLS = ["hours_between(t, u)", "minutes_between(h, k)", "hours_between(h, k) > 1",
                 "working_days_between(t, u)", "working_days_between(d, t)", "working_days_add(t, a)",
                 "add_hours(t, a)", "add_minutes(u, a)", "date(t) == d", "time(t) < k", "datetime(d, h) >= u",
                 "is_working_day(t)", "hour(h) + minute(t)", "days_between(t, d)", "year(u) * month(t)",
                 "t < u", "h == k", "string(t) + string(h)", "datetime(s)", "time(s)"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_MOMENT_CALLS),
       st.fixed_dictionaries({}, optional={
           "t": st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
               lambda v: v.replace(second=0, microsecond=0)),
           "u": st.datetimes().map(lambda v: v.replace(second=0, microsecond=0)),
           "h": st.times().map(lambda v: v.replace(second=0, microsecond=0)),
           "k": st.times().map(lambda v: v.replace(second=0, microsecond=0)),
           "d": st.dates(), "a": st.integers(-10**12, 10**12), "s": st.text(max_size=20)}))
def test_date_time_functions_fail_only_with_evaluation_error(source, variables):
    try:
        compile_expression(source, MOMENT_SCOPE).evaluate(variables, TODAY)
    except EvaluationError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("tuhkd(), <>=+-'") + ["hours_between(", "time(", "datetime(",
                                                         "'18:00'", "'2027-06-23T18:00'", "add_hours("]),
                max_size=14).map("".join))
def test_date_time_like_text_compiles_or_reports(source):
    try:
        compile_expression(source, MOMENT_SCOPE)
    except ExpressionError as exc:
        assert exc.problems and all(p.line >= 1 and p.column >= 1 for p in exc.problems)
