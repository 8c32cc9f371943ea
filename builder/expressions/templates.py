"""compile_template: text with {expression} placeholders, such as payment references."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from . import types as T
from .errors import EvaluationError, ExpressionError, ExprProblem
from .expression import Expression, compile_expression
from .values import to_text


class Template:
    __slots__ = ("source", "parts", "names", "paths")

    def __init__(self, source: str, parts: list[str | Expression]) -> None:
        self.source, self.parts = source, parts
        expressions = [p for p in parts if isinstance(p, Expression)]
        self.names = frozenset().union(*(e.names for e in expressions))
        self.paths = frozenset().union(*(e.paths for e in expressions))

    def render(self, variables: Mapping[str, Any], today: dt.date) -> str:
        """The text; null renders as ''. Raises MissingValue / EvaluationError like evaluate."""
        # Each placeholder's closure called as it is and a text put in as it is (a payment
        # reference is mostly answers: names, codes, chips): some eight calls a placeholder
        # fewer than `evaluate` and `to_text` each. Anything else `evaluate` would turn into
        # an EvaluationError is met by rendering again part by part, which raises it.
        try:
            values = [part if type(part) is str else part._function(variables, today) for part in self.parts]
        except EvaluationError:
            raise
        except Exception:
            return self._render_by_parts(variables, today)
        return "".join([value if type(value) is str else to_text(value) for value in values])

    def _render_by_parts(self, variables: Mapping[str, Any], today: dt.date) -> str:
        return "".join([part if isinstance(part, str) else to_text(part.evaluate(variables, today))
                        for part in self.parts])


def compile_template(source: str, scope: Mapping[str, T.Type]) -> Template:
    parts: list[str | Expression] = []
    problems: list[ExprProblem] = []
    text, i = [], 0
    while i < len(source):
        char = source[i]
        if char in "{}" and source[i + 1:i + 2] == char:
            text.append(char)
            i += 2
        elif char == "}":
            problems.append(_problem(source, i, 'A lone "}"; write "}}" for a literal brace.'))
            i += 1
        elif char == "{":
            end = _closing_brace(source, i + 1)
            if end is None:
                problems.append(_problem(source, i, 'This "{" is never closed; write "{{" for a literal brace.'))
                break
            parts.append("".join(text))
            text = []
            parts.append(_compile_part(source, i + 1, end, scope, problems))
            i = end + 1
        else:
            text.append(char)
            i += 1
    parts.append("".join(text))
    if problems:
        raise ExpressionError(problems)
    return Template(source, [p for p in parts if p != ""])


def _compile_part(source: str, start: int, end: int, scope, problems: list) -> Any:
    try:
        return compile_expression(source[start:end], scope)
    except ExpressionError as exc:
        line, column = _position(source, start)
        problems.extend(ExprProblem(p.code, p.message, line + p.line - 1,
                                    column + p.column - 1 if p.line == 1 else p.column)
                        for p in exc.problems)
        return ""


def _closing_brace(source: str, i: int) -> int | None:
    """The index of the "}" that closes a placeholder, skipping strings and nested braces."""
    depth, quote = 1, ""
    while i < len(source):
        char = source[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _position(source: str, offset: int) -> tuple[int, int]:
    before = source[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _problem(source: str, offset: int, message: str) -> ExprProblem:
    return ExprProblem("E301", message, *_position(source, offset))
