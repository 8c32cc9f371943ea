"""Parsing: the CEL grammar of cel-python turned into a small AST of `Node`s.

The lark tree mirrors the grammar's left-recursive rules (`addition -> addition_add ...`),
which is awkward to check and compile; `Node` keeps only what matters, with positions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import celpy.celparser
from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from .errors import ExprProblem, ExpressionError

MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
BINARY_RULES = {
    "relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
    "relation_eq": "==", "relation_ne": "!=", "relation_in": "in",
    "addition_add": "+", "addition_sub": "-",
    "multiplication_mul": "*", "multiplication_div": "/", "multiplication_mod": "%",
}

_BLANK = re.compile(r"\s+|//[^\n]*")  # what may stand between an operand and its operator
_parser: Lark | None = None


def _keep_position(token: Token) -> Token:
    """celpy's lexer callback turns `true`/`false` into BOOL_LIT but drops the position;
    this one keeps it, so that every node can be reported at its place."""
    if token.value in ("true", "false"):
        return Token.new_borrow_pos("BOOL_LIT", token.value, token)
    return token


def _get_parser() -> Lark:
    """The LALR parser for cel-python's CEL grammar, built on first use (about 0.1 s).

    Built with celpy's own options; only the lexer callback differs (see _keep_position)."""
    global _parser
    if _parser is None:
        grammar = (Path(celpy.celparser.__file__).parent / "cel.lark").read_text()
        _parser = Lark(grammar, parser="lalr", start="expr", g_regex_flags=re.M,
                       lexer_callbacks={"IDENT": _keep_position}, propagate_positions=True,
                       maybe_placeholders=False, priority="invert")
    return _parser


@dataclass(slots=True, eq=False)
class Node:
    """An AST node. `kind` is one of: literal, name, member, index, call, method, macro, has,
    unary, binary, and, or, cond, list, map. The checker fills `type` and `info`."""

    kind: str
    line: int
    column: int
    args: tuple = ()
    value: Any = None
    type: Any = None
    info: Any = None
    path: str | None = field(default=None)


class SyntaxProblem(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.problem = ExprProblem("E301", message, line, column)


def parse(source: str) -> Node:
    """Parse `source` into a Node tree; raises ExpressionError with one E301 problem."""
    try:
        tree = _get_parser().parse(source)
        return _Converter(source).convert(tree)
    except SyntaxProblem as exc:
        raise ExpressionError([exc.problem]) from None
    except LarkError as exc:
        line, column = getattr(exc, "line", -1), getattr(exc, "column", -1)
        if not isinstance(line, int) or line < 1:  # lark reports the end of input as -1
            line, column = _Converter(source).position(len(source.rstrip()))
        raise ExpressionError([_syntax_problem(source, exc, line, column)]) from None
    except RecursionError:
        raise ExpressionError([ExprProblem(
            "E301", "The expression is nested too deeply; split it into computed values.", 1, 1)]) from None


def _syntax_problem(source: str, exc: LarkError, line: int, column: int) -> ExprProblem:
    token = getattr(exc, "token", None)
    if token is not None and token.type == "$END":
        what = "The expression ends too early"
        hint = "complete it (a missing operand or closing bracket?)"
    elif token is not None:
        what = f'Unexpected "{token.value}"'
        hint = "check the operators and brackets around it"
    else:
        char = getattr(exc, "char", "")
        what = f'Unexpected character "{char}"' if char else "The expression cannot be read"
        hint = "check quotes and operators (CEL uses && || ! == and 'text' or \"text\")"
    return ExprProblem("E301", f"Syntax error: {what} at line {line}, column {column}; {hint}.",
                       line, column)


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
            '"': '"', "'": "'", "\\": "\\", "`": "`", "?": "?"}
_ESCAPE_RE = re.compile(r"\\(?:([abfnrtv\"'\\`?])|([0-3][0-7]{2})|x([0-9a-fA-F]{2})"
                        r"|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S)


def _unescape(body: str) -> str:
    def replace(m: re.Match) -> str:
        simple, octal, hex2, u4, u8, bad = m.groups()
        if simple:
            return _ESCAPES[simple]
        if bad is not None:
            raise ValueError(f'unknown escape "\\{bad}"')
        code = int(octal, 8) if octal else int(hex2 or u4 or u8, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"invalid character code {code:#x}")
        return chr(code)
    return _ESCAPE_RE.sub(replace, body)


def _string_value(text: str) -> str:
    raw = text[0] in "rR"
    if raw:
        text = text[1:]
    quote = 3 if text[:3] in ('"""', "'''") else 1
    body = text[quote:-quote]
    return body if raw else _unescape(body)


class _Converter:
    """Turns a lark tree of the CEL grammar into Nodes, with 1-based positions."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", source)]

    def convert(self, tree: Tree | Token) -> Node:
        if isinstance(tree, Token):  # the grammar only leaves bare tokens under literal/ident
            raise SyntaxProblem(f'Unexpected "{tree}".', tree.line or 1, tree.column or 1)
        return getattr(self, "_" + tree.data)(tree)

    # --- positions -------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        line = 0
        while line + 1 < len(self.line_starts) and self.line_starts[line + 1] <= offset:
            line += 1
        return line + 1, offset - self.line_starts[line] + 1

    def operator_after(self, tree: Tree) -> tuple[int, int]:
        """Where the operator following `tree` starts: lark drops operator tokens."""
        offset = tree.meta.end_pos if not tree.meta.empty else 0
        while True:
            match = _BLANK.match(self.source, offset)
            if not match or match.end() == offset:
                return self.position(offset)
            offset = match.end()

    @staticmethod
    def start(tree: Tree) -> tuple[int, int]:
        return (tree.meta.line, tree.meta.column) if not tree.meta.empty else (1, 1)

    # --- operators -------------------------------------------------------------------
    def _expr(self, tree: Tree) -> Node:
        if len(tree.children) == 1:
            return self.convert(tree.children[0])
        cond, then, other = tree.children
        return Node("cond", *self.operator_after(cond),
                    args=(self.convert(cond), self.convert(then), self.convert(other)))

    def _logical(self, tree: Tree, kind: str) -> Node:
        if len(tree.children) == 1:
            return self.convert(tree.children[0])
        left, right = tree.children
        return Node(kind, *self.operator_after(left), args=(self.convert(left), self.convert(right)))

    def _conditionalor(self, tree: Tree) -> Node:
        return self._logical(tree, "or")

    def _conditionaland(self, tree: Tree) -> Node:
        return self._logical(tree, "and")

    def _binary(self, tree: Tree) -> Node:
        if len(tree.children) == 1:
            return self.convert(tree.children[0])
        op_tree, right = tree.children
        left = op_tree.children[0]
        return Node("binary", *self.operator_after(left), value=BINARY_RULES[op_tree.data],
                    args=(self.convert(left), self.convert(right)))

    _relation = _addition = _multiplication = _binary

    def _unary(self, tree: Tree) -> Node:
        if len(tree.children) == 1:
            return self.convert(tree.children[0])
        op, operand = tree.children
        return Node("unary", *self.start(tree), value="!" if op.data == "unary_not" else "-",
                    args=(self.convert(operand),))

    # --- members and calls -----------------------------------------------------------
    def _member(self, tree: Tree) -> Node:
        return self.convert(tree.children[0])

    _primary = _member

    def _member_dot(self, tree: Tree) -> Node:
        target, name = tree.children
        return Node("member", name.line, name.column, args=(self.convert(target),), value=str(name))

    def _member_dot_arg(self, tree: Tree) -> Node:
        target, name, *rest = tree.children
        args = self._exprlist(rest[0]) if rest else ()
        return Node("method", name.line, name.column, args=(self.convert(target), *args), value=str(name))

    def _member_index(self, tree: Tree) -> Node:
        target, index = tree.children
        return Node("index", *self.operator_after(target), args=(self.convert(target), self.convert(index)))

    def _member_object(self, tree: Tree) -> Node:
        raise SyntaxProblem("Object construction (Type{field: value}) is not supported; "
                            "use a map literal {\"key\": value}.", *self.operator_after(tree.children[0]))

    def _ident_arg(self, tree: Tree) -> Node:
        name, *rest = tree.children
        args = self._exprlist(rest[0]) if rest else ()
        return Node("call", name.line, name.column, args=args, value=str(name))

    _dot_ident_arg = _ident_arg

    def _ident(self, tree: Tree) -> Node:
        name = tree.children[0]
        return Node("name", name.line, name.column, value=str(name))

    _dot_ident = _ident

    def _paren_expr(self, tree: Tree) -> Node:
        return self.convert(tree.children[0])

    def _exprlist(self, tree: Tree) -> tuple[Node, ...]:
        return tuple(self.convert(child) for child in tree.children)

    def _list_lit(self, tree: Tree) -> Node:
        items = self._exprlist(tree.children[0]) if tree.children else ()
        return Node("list", *self.start(tree), args=items)

    def _map_lit(self, tree: Tree) -> Node:
        entries = self._exprlist(tree.children[0]) if tree.children else ()
        return Node("map", *self.start(tree), args=entries)

    _mapinits = _exprlist

    # --- literals --------------------------------------------------------------------
    def _literal(self, tree: Tree) -> Node:
        token = tree.children[0]
        try:
            value = _literal_value(token)
        except ValueError as exc:
            raise SyntaxProblem(f"Invalid literal {token}: {exc}.", token.line, token.column) from None
        return Node("literal", token.line, token.column, value=value)


def _literal_value(token: Token) -> Any:
    text, kind = str(token), token.type
    if kind == "BOOL_LIT":
        return text == "true"
    if kind == "NULL_LIT":
        return None
    if kind in ("INT_LIT", "UINT_LIT"):
        digits = text.rstrip("uU")
        return int(digits, 16 if "x" in digits.lower() else 10)
    if kind == "FLOAT_LIT":
        return Decimal(text)
    if kind in ("STRING_LIT", "MLSTRING_LIT"):
        return _string_value(text)
    raise ValueError("bytes literals are not supported; use a string")
