"""Loop-invariant parts of a per-entry expression, worked out once per loop.

An expression inside `for_each` is evaluated once for every repeat entry, in scopes that
differ only in `item` and `index`. A part of it that reads neither (nor a macro's loop
variable, nor another name that changes from one evaluation to the next) has the same value
for every entry: `tally(dogs.map(d, d.chip))` in a uniqueness rule is the same list for each
dog. Such a part is wrapped in a `hoisted` node; its compiled form keeps its value in the
per-loop cache the engine puts in the scope under `HOISTED`, so the part is evaluated once
per loop instead of once per entry, which turns an all-pairs rule into one pass. Without the
cache in the scope (any other caller) the part is simply evaluated, so results never differ.
"""
from __future__ import annotations

from typing import Any

from .compiler import _COMPILERS, OPTIONS, Fn, compile_node
from .syntax import Node

HOISTED = "@hoisted"      # variable: the per-loop cache {site: value}; put in by the engine
# Names whose value changes between evaluations in one loop: the entry, its index, the option
# of a choice filter, a field's own value, a fee line's amount and total, and the choice lists.
VARYING = frozenset({"item", "index", "option", "value", "fee_total", "line_amount", OPTIONS})
_WORTH = frozenset({"macro", "call", "method"})   # parts that do work; a name or literal is cheap


def free_names(node: Node) -> frozenset[str]:
    """The variables `node` reads that it does not bind itself (a macro binds its loop variable)."""
    if node.kind == "name":
        return frozenset({node.value})
    if node.kind == "option_of":
        return free_names(node.args[0]) | {OPTIONS}
    if node.kind == "macro":
        body = frozenset().union(*(free_names(arg) for arg in node.args[2:]))
        return free_names(node.args[0]) | (body - {node.info})
    return frozenset().union(*(free_names(arg) for arg in node.args if isinstance(arg, Node)))


def hoist(node: Node, bound: frozenset[str] = frozenset()) -> Node:
    """`node` with each largest loop-invariant part that does work wrapped in a `hoisted` node;
    `bound` are the loop variables of the macros around `node`."""
    if node.kind in _WORTH and not free_names(node) & (VARYING | bound):
        return Node("hoisted", node.line, node.column, (node,), type=node.type, path=node.path)
    inner = bound | {node.info} if node.kind == "macro" else bound
    args = tuple(_hoist_arg(arg, index, node, bound, inner) for index, arg in enumerate(node.args))
    if args != node.args:
        node.args = args
    return node


def _hoist_arg(arg: Any, index: int, node: Node, outer: frozenset[str], inner: frozenset[str]) -> Any:
    if not isinstance(arg, Node):
        return arg
    if node.kind == "macro" and index == 1:
        return arg                      # the loop variable's own name
    return hoist(arg, outer if node.kind == "macro" and index == 0 else inner)


def _hoisted(node: Node) -> Fn:
    inner, site = compile_node(node.args[0]), object()

    def hoisted(v, t):
        cache = v.get(HOISTED)
        if cache is None:
            return inner(v, t)
        value = cache.get(site, cache)     # the cache itself stands for "not worked out yet"
        if value is cache:
            value = cache[site] = inner(v, t)
        return value
    return hoisted


_COMPILERS["hoisted"] = _hoisted
