"""What compiling or evaluating an expression can raise."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExprProblem:
    """One build-time problem; line and column are 1-based, relative to the source text."""

    code: str
    message: str
    line: int
    column: int


class ExpressionError(Exception):
    """An expression or template cannot be compiled; `problems` lists all that was found."""

    def __init__(self, problems: list[ExprProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.line}:{p.column}: {p.code} {p.message}" for p in self.problems))


class EvaluationError(Exception):
    """Evaluation failed at run time (division by zero, a bad regular expression, ...)."""


class MissingValue(EvaluationError):
    """A null or absent value was used where a value is needed (an unanswered field)."""
