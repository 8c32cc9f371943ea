"""Expressions: CEL with exact decimals, type-checked at build time, compiled to closures.

    expr = compile_expression("owner.pensioner ? param.x * 0.5 : param.x", scope, T.NUMBER)
    expr.evaluate(variables, today)

See docs/language.md ("Expressions") for the language and its function library.
"""
from . import types
from . import types as T  # noqa: F401  (the short name used across the builder)
from .errors import EvaluationError, ExpressionError, ExprProblem, MissingValue
from .expression import Expression, compile_expression
from .templates import Template, compile_template

__all__ = ["compile_expression", "compile_template", "Expression", "Template", "ExpressionError",
           "ExprProblem", "EvaluationError", "MissingValue", "types"]
