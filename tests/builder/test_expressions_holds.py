"""`Expression.holds` and `Expression.value_or_none`, the engine's one-call readings of a
condition and of a value, give what `evaluate` and a try around it gave: for every
expression of every shipped service (conditions, checks, bounds, computed values, fees),
over the scopes its definition tests build, the whole scope and each repeat entry's."""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator

import pytest

from builder.engine import evaluate
from builder.expressions import EvaluationError, Expression, T
from builder.expressions.hoisting import HOISTED

from .shipped_cases import shipped_cases

CASES = list(shipped_cases())
FAILED = object()     # `evaluate` raised EvaluationError


def expressions_in(value: Any, seen: set[int]) -> Iterator[Expression]:
    """Every compiled expression a compiled service holds, at any depth."""
    if id(value) in seen or isinstance(value, (str, bytes, int, float)) or value is None:
        return
    seen.add(id(value))
    if isinstance(value, Expression):
        yield value
    elif dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            yield from expressions_in(getattr(value, item.name), seen)
    elif isinstance(value, dict) or hasattr(value, "items") and hasattr(value, "values"):
        for item in value.values():
            yield from expressions_in(item, seen)
    elif isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            yield from expressions_in(item, seen)


def scopes_of(scope) -> Iterator[dict]:
    """The outcome's scope, and that of each entry of each repeat in it (as rules and fee lines see them)."""
    yield dict(scope)
    for value in scope.values():
        if isinstance(value, list) and value and all(isinstance(entry, dict) for entry in value):
            for index, entry in enumerate(value):
                yield {**scope, "item": entry, "index": index}


def old_value(expression: Expression, variables: dict, today) -> Any:
    try:
        return expression.evaluate({**variables, HOISTED: {}}, today)
    except EvaluationError:
        return FAILED


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_holds_and_value_or_none_read_evaluate_as_the_engine_did(case):
    outcome = evaluate(case.effective, case.answers, case.context)
    today = case.context.today
    found = list(expressions_in(case.effective.service, set()))
    assert found, "the walk found no expression"
    for variables in scopes_of(outcome.scope):
        for expression in found:
            before = old_value(expression, variables, today)
            assert expression.holds({**variables, HOISTED: {}}, today) is (before is True), expression.source
            assert expression.value_or_none({**variables, HOISTED: {}}, today) == (
                None if before is FAILED else before), expression.source


def test_the_shipped_cases_hold_fail_and_raise():
    """The comparison above is not vacuous: its conditions are true, false and unevaluable."""
    seen = {"true": 0, "false": 0, "failed": 0}
    for case in CASES[:40]:
        outcome = evaluate(case.effective, case.answers, case.context)
        for expression in expressions_in(case.effective.service, set()):
            before = old_value(expression, dict(outcome.scope), case.context.today)
            seen["failed" if before is FAILED else "true" if before is True else "false"] += 1
    assert all(seen.values()), seen


def function_raising(error: Exception) -> Expression:
    def function(variables, today):
        raise error
    return Expression("raising", T.BOOL, frozenset(), frozenset(), function)


@pytest.mark.parametrize("error", [EvaluationError("missing"), TypeError("from outside"), RecursionError(),
                                   KeyError("x"), ZeroDivisionError()])
def test_every_error_evaluate_reports_is_false_and_none(error):
    expression = function_raising(error)
    with pytest.raises(EvaluationError):
        expression.evaluate({}, None)
    assert expression.holds({}, None) is False
    assert expression.value_or_none({}, None) is None
