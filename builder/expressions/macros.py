"""Compiling the comprehension macros: all, exists, exists_one, map, filter.

Each loop gets the collection and a per-call copy of the variables (`scope`) in which it
binds the loop variable: a fresh copy per call keeps evaluation thread-safe and stops the
loop variable from leaking out.
"""
from __future__ import annotations

from typing import Any, Callable

from . import values as rt
from .compiler import _COMPILERS, Fn, compile_node
from .errors import EvaluationError, MissingValue
from .syntax import Node

Loop = Callable[[Any, dict, str, Any], Any]  # (collection, scope, variable, today) -> result


def _macro(node: Node) -> Fn:
    kind, variable = node.value, node.info
    target, *body = (compile_node(arg) for arg in (node.args[0], *node.args[2:]))
    loop = _LOOPS[kind](body, f".{kind}()")

    def macro(v, t):
        collection = target(v, t)
        if collection is None:
            raise MissingValue(f"The list given to .{kind}() is missing.")
        return loop(collection, dict(v), variable, t)
    return macro


def _all(body: list[Fn], what: str) -> Loop:
    return _quantifier(body[0], what, deciding=False)


def _exists(body: list[Fn], what: str) -> Loop:
    return _quantifier(body[0], what, deciding=True)


def _quantifier(predicate: Fn, what: str, deciding: bool) -> Loop:
    """all() stops at the first false, exists() at the first true; an error elsewhere in
    the list only counts when no item decides the result (as with CEL's && and ||)."""
    def loop(collection, scope, variable, t):
        error = None
        for item in collection:
            scope[variable] = item
            try:
                if rt.truth(predicate(scope, t), what) is deciding:
                    return deciding
            except EvaluationError as exc:
                error = error or exc
        if error is not None:
            raise error
        return not deciding
    return loop


def _exists_one(body: list[Fn], what: str) -> Loop:
    (predicate,) = body

    def loop(collection, scope, variable, t):
        found = 0
        for item in collection:
            scope[variable] = item
            found += rt.truth(predicate(scope, t), what)
        return found == 1
    return loop


def _map(body: list[Fn], what: str) -> Loop:
    predicate, transform = body if len(body) == 2 else (None, body[0])

    def loop(collection, scope, variable, t):
        result = []
        for item in collection:
            scope[variable] = item
            if predicate is None or rt.truth(predicate(scope, t), what):
                result.append(transform(scope, t))
        return result
    return loop


def _filter(body: list[Fn], what: str) -> Loop:
    (predicate,) = body

    def loop(collection, scope, variable, t):
        kept = []
        for item in collection:
            scope[variable] = item
            if rt.truth(predicate(scope, t), what):
                kept.append(item)
        return kept
    return loop


_LOOPS: dict[str, Callable[[list[Fn], str], Loop]] = {
    "all": _all, "exists": _exists, "exists_one": _exists_one, "map": _map, "filter": _filter}
_COMPILERS["macro"] = _macro
