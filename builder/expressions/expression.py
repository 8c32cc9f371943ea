"""compile_expression: parse, check and compile one expression."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping

from . import macros  # noqa: F401  (registers the macro compiler)
from . import types as T
from .hoisting import hoist
from .checker import Checker
from .compiler import Fn, compile_node
from .errors import EvaluationError, ExpressionError, ExprProblem
from .syntax import parse


class Expression:
    """A compiled expression: `evaluate` runs prepared closures, no tree walking."""

    __slots__ = ("source", "type", "names", "paths", "_function")

    def __init__(self, source: str, type_: T.Type, names: frozenset[str], paths: frozenset[str],
                 function: Fn) -> None:
        self.source, self.type, self.names, self.paths = source, type_, names, paths
        self._function = function

    def evaluate(self, variables: Mapping[str, Any], today: dt.date) -> Any:
        """The value; raises MissingValue or EvaluationError, never anything else."""
        try:
            return self._function(variables, today)
        except EvaluationError:
            raise
        except RecursionError:
            raise EvaluationError("The expression is nested too deeply to evaluate.") from None
        except Exception as exc:  # a value of an unexpected type from outside, e.g. via dyn
            raise EvaluationError(f"Cannot evaluate {self.source!r}: {exc.__class__.__name__}: {exc}") \
                from exc

    # The engine's two readings of `evaluate`, each one call: it evaluates every condition and
    # check of a definition on every page, where the wrapper and a try around it in the
    # caller were some 90 calls of the dog fee's 1,270 (tests/builder/test_expressions_holds.py).
    # Every exception `evaluate` turns into an EvaluationError is caught here as well.

    def holds(self, variables: Mapping[str, Any], today: dt.date) -> bool:
        """A condition: true only when it evaluates to true; false when it cannot be evaluated
        (a missing answer) or gives anything else."""
        try:
            return self._function(variables, today) is True
        except Exception:
            return False

    def value_or_none(self, variables: Mapping[str, Any], today: dt.date) -> Any:
        """The value, or None when it cannot be evaluated (a check that needs a missing
        answer does not fire, a bound that needs one does not apply)."""
        try:
            return self._function(variables, today)
        except Exception:
            return None

    def __repr__(self) -> str:
        return f"Expression({self.source!r}, type={self.type})"


def compile_expression(source: str, scope: Mapping[str, T.Type],
                       expect: T.Type | None = None) -> Expression:
    """Check `source` against the names in `scope` and compile it.

    Raises ExpressionError listing every problem found (a syntax error stops the rest)."""
    if not source.strip():
        raise ExpressionError([ExprProblem("E301", "The expression is empty; write a value or "
                                           "a condition.", 1, 1)])
    tree = parse(source)
    checker = Checker(scope)
    try:
        result = checker.check(tree)
    except RecursionError:
        raise ExpressionError([ExprProblem("E301", "The expression is nested too deeply; "
                                           "split it into computed values.", 1, 1)]) from None
    problems = checker.problems
    if not problems and expect is not None and not T.is_assignable(expect, result):
        line, column = _start(source)
        problems.append(ExprProblem("E306", f"The expression gives {_article(result)} but "
                                    f"{_article(expect)} is needed here.{_hint(expect)}", line, column))
    if problems:
        raise ExpressionError(sorted(problems, key=lambda p: (p.line, p.column, p.code)))
    if "item" in scope:     # evaluated once per repeat entry: work out invariant parts once per loop
        tree = hoist(tree)
    try:
        function = compile_node(tree)
    except RecursionError:
        raise ExpressionError([ExprProblem("E301", "The expression is nested too deeply; "
                                           "split it into computed values.", 1, 1)]) from None
    return Expression(source, result, frozenset(checker.names), frozenset(checker.paths), function)


def _start(source: str) -> tuple[int, int]:
    """Line and column of the first non-blank character."""
    offset = len(source) - len(source.lstrip())
    before = source[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def _article(t: T.Type) -> str:
    text = str(t)
    return f"an {text}" if re.match(r"[aeiou]", text) else f"a {text}"


def _hint(expect: T.Type) -> str:
    if expect == T.BOOL:
        return ' Write a condition, e.g. x == "value" or x > 0.'
    if expect == T.INT:
        return " Write a whole number, e.g. 10, size(dogs) or int(x); a decimal can be rounded with int(round(x, 0))."
    if T.is_numeric(expect):
        return " Write an amount, e.g. param.annual_fee * 2."
    return ""
