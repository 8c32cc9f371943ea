"""A compilation unit: one loaded definition plus the helpers every compile step shares
(reading a node, compiling an expression or a text at a place, reporting a problem there).
"""
from __future__ import annotations

from typing import Any, Mapping

from .expressions import ExpressionError, compile_expression, compile_template
from .expressions import types as T
from .messagetext import MessageText
from .model import Text
from .problems import Problems
from .yamlload import Document, Path


class Unit:
    def __init__(self, doc: Document, problems: Problems, scope: Mapping[str, T.Type] | None = None):
        self.doc = doc
        self.problems = problems
        self.scope: Mapping[str, T.Type] = scope or {}

    def get(self, path: Path, default: Any = None) -> Any:
        node: Any = self.doc.data
        for key in path:
            if isinstance(node, Mapping) and isinstance(key, str):
                node = node.get(key)
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                node = node[key]
            else:
                return default
            if node is None:
                return default
        return node

    def report(self, code: str, message: str, path: Path) -> None:
        line, column = self.doc.where(path)
        self.problems.add(code, message, self.doc.path, line, column)

    def text(self, path: Path, required: bool = False, fallback: str | None = None) -> Text | None:
        """The text at `path`; warns (W401) when the English translation is missing."""
        raw = self.get(path)
        if raw is None:
            return Text(fallback) if fallback is not None else None
        text = Text(raw if isinstance(raw, Mapping) else str(raw))
        if "en" not in text:
            self.report("W401", f"{dotted(path)} has no English translation; write it as "
                                f"{{lv: ..., en: ...}}", path)
        return text

    def expr(self, path: Path, expect: T.Type | None = None, scope: Mapping[str, T.Type] | None = None):
        """Compile the expression at `path`; on failure report its problems and return None."""
        raw = self.get(path)
        if raw is None:
            return None
        source = _source_text(raw)
        try:
            return compile_expression(source, scope if scope is not None else self.scope, expect)
        except ExpressionError as exc:
            self._report_expression(exc, path, source)
            return None

    def template(self, path: Path, scope: Mapping[str, T.Type] | None = None):
        raw = self.get(path)
        if raw is None:
            return None
        try:
            return compile_template(str(raw), scope if scope is not None else self.scope)
        except ExpressionError as exc:
            self._report_expression(exc, path, str(raw))
            return None

    def message(self, path: Path, scope: Mapping[str, T.Type] | None = None, fallback: str | None = None):
        """A message at `path`: its `{placeholders}` compiled per language (a MessageText),
        or the plain Text when it has none. Braces that hold no expression at all, as
        messages written before values were allowed may have, stay text (W402)."""
        text = self.text(path, fallback=fallback)
        if text is None or not any("{" in value or "}" in value for value in text.values()):
            return text
        templates = {}
        for language, value in text.items():
            at = path + (language,) if isinstance(self.get(path), Mapping) else path
            template = self._message_template(at, value, scope if scope is not None else self.scope)
            if template is None:
                return text
            templates[language] = template
        return MessageText(text, templates, money_names(self))

    def _message_template(self, path: Path, value: str, scope):
        try:
            return compile_template(value, scope)
        except ExpressionError as exc:
            if all(problem.code == "E301" for problem in exc.problems):
                line, column = self.doc.value_at(path)
                self.problems.add("W402", f"{dotted(path)}: the braces hold no value, so the message is shown as "
                                          f"written; write {{{{ and }}}} for braces, or {{param.name}} for a value",
                                  self.doc.path, line, column)
            else:
                self._report_expression(exc, path, value)
            return None

    def _report_expression(self, exc: ExpressionError, path: Path, source: str) -> None:
        line, column = self.doc.value_at(path)
        for problem in exc.problems:
            if problem.line <= 1:
                at = (line, column + max(problem.column, 1) - 1)
            else:
                at = (line + problem.line - 1, problem.column)
            message = f"in {dotted(path)} `{_shorten(source)}`: {problem.message}"
            self.problems.add(problem.code, message, self.doc.path, *at)


def money_names(unit: Unit) -> frozenset[str]:
    """Placeholders shown as euro amounts: money parameters, computed values and fields."""
    def money(section: str) -> set[str]:
        specs = unit.get((section,), {}) or {}
        return {name for name, spec in specs.items() if isinstance(spec, Mapping) and spec.get("type") == "money"}
    return frozenset({f"param.{name}" for name in money("parameters")} | money("computed") | money("fields")
                     | {"fee_total", "line_amount"})


def dotted(path: Path) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def _source_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return str(raw)


def _shorten(source: str, limit: int = 60) -> str:
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
