"""The compiler: a checked Node tree becomes nested Python closures `f(variables, today)`.

All decisions that depend only on the tree (which operator, which overload, which regular
expression) are taken here, once, so that evaluation does no tree walking. Loop variables
of macros live in a per-call copy of the variables, which keeps evaluation thread-safe.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Callable

from . import values as rt
from . import types as T
from .errors import EvaluationError, MissingValue
from .syntax import Node

Fn = Callable[[Any, Any], Any]
_ABSENT = object()


def compile_node(node: Node) -> Fn:
    return _COMPILERS[node.kind](node)


def _describe(node: Node) -> str:
    return f'"{node.path}"' if node.path else "a value"


def _literal(node: Node) -> Fn:
    value = node.value
    return lambda v, t: value


def _name(node: Node) -> Fn:
    name = node.value
    return lambda v, t: v.get(name)


def _member(node: Node) -> Fn:
    target, name = compile_node(node.args[0]), node.value
    missing = f"{_describe(node.args[0])} is missing, so it has no member {name!r}."
    if isinstance(node.args[0].type, T.MapType):  # an open map: an absent key is missing
        def map_member(v, t):
            value = target(v, t)
            if value is None:
                raise MissingValue(missing)
            try:
                value = value.get(name, _ABSENT)
            except AttributeError:
                raise EvaluationError(f"A {rt.type_name(value)} has no member {name!r}.") from None
            if value is _ABSENT:
                raise MissingValue(f"There is no {name!r} in {_describe(node.args[0])}.")
            return value
        return map_member

    links = _record_chain(node) if FUSE_RECORD_CHAINS else None
    if links is not None:
        return _chain(node.args[0], links)

    def record_member(v, t):  # a record: an unanswered field is null
        value = target(v, t)
        if value is None:
            raise MissingValue(missing)
        try:
            return value.get(name)
        except AttributeError:
            raise EvaluationError(f"A {rt.type_name(value)} has no member {name!r}.") from None
    return record_member


SPECIAL_TWO_ARGUMENT_CALLS = True   # tests/builder/test_expressions_chains.py compiles calls both ways

# `owner.address.city` read by one closure instead of one per dot (a name and its record
# members are most of what an evaluation calls); the same values and errors as the
# nested closures (tests/builder/test_expressions_chains.py compiles both ways).
FUSE_RECORD_CHAINS = True

# `==`, `!=`, `&&` and `||` with their helpers' work in the closure (`_equal`, `rt.truth`),
# a literal right side of `==` put in as its value: the same values and errors as the
# general closures (tests/builder/test_expressions_chains.py compiles both ways).
INLINE_EQUALITY_AND_TRUTH = True


def _record_chain(node: Node) -> list[tuple[str, str]] | None:
    """(member, message if its target is missing) for each dot of a chain of record members
    that starts at a plain name, outermost last; None for any other member."""
    links = []
    while node.kind == "member" and not isinstance(node.args[0].type, T.MapType):
        links.append((node.value, f"{_describe(node.args[0])} is missing, so it has no member {node.value!r}."))
        node = node.args[0]
    return links[::-1] if node.kind == "name" else None


def _chain(root: Node, links: list[tuple[str, str]]) -> Fn:
    while root.kind != "name":
        root = root.args[0]
    start, links = root.value, tuple(links)

    def record_chain(v, t):
        value = v.get(start)
        for name, missing in links:
            if value is None:
                raise MissingValue(missing)
            try:
                value = value.get(name)
            except AttributeError:
                raise EvaluationError(f"A {rt.type_name(value)} has no member {name!r}.") from None
        return value
    return record_chain


def _index(node: Node) -> Fn:
    target, index = (compile_node(arg) for arg in node.args)

    def lookup(v, t):
        container, key = target(v, t), index(v, t)
        if container is None or key is None:
            raise MissingValue("A missing value was used in [ ].")
        if isinstance(container, list):
            if type(key) is not int:
                raise EvaluationError("A list index must be a whole number.")
            if not 0 <= key < len(container):
                raise MissingValue(f"There is no item {key} in a list of {len(container)}.")
            return container[key]
        value = container.get(key, _ABSENT)
        if value is _ABSENT:
            raise MissingValue(f"There is no key {key!r} in the map.")
        return value
    return lookup


def _has(node: Node) -> Fn:
    member = node.args[0]
    target, name = compile_node(member.args[0]), member.value

    def has(v, t):
        try:
            return target(v, t).get(name) is not None
        except (MissingValue, AttributeError):  # a missing or non-record target has nothing
            return False
    return has


def _call(node: Node) -> Fn:
    overload = node.info
    impl, args = overload.impl, [compile_node(arg) for arg in node.args]
    if node.value == "matches" and node.args[1].kind == "literal":
        pattern = rt.compile_regex(node.args[1].value)  # checked at build time
        impl = lambda text, _: pattern.search(text) is not None  # noqa: E731
    what = f"{node.value}()"
    if overload.needs_today:
        return _with_today(impl, args, what)
    if len(args) == 1:
        (only,) = args

        def call1(v, t):
            value = only(v, t)
            if value is None:
                raise MissingValue(f"{what} got a missing value.")
            return impl(value)
        return call1
    if len(args) == 2 and SPECIAL_TWO_ARGUMENT_CALLS:     # no list built (a comprehension is a call of its own)
        first, second = args

        def call2(v, t):
            a, b = first(v, t), second(v, t)
            if a is None or b is None:
                raise MissingValue(f"{what} got a missing value.")
            return impl(a, b)
        return call2

    def call(v, t):
        values = [arg(v, t) for arg in args]
        if None in values:
            raise MissingValue(f"{what} got a missing value.")
        return impl(*values)
    return call


def _with_today(impl: Callable, args: list[Fn], what: str) -> Fn:
    def call(v, t):
        values = [arg(v, t) for arg in args]
        if None in values:
            raise MissingValue(f"{what} got a missing value.")
        return impl(t, *values)
    return call


_method = _call


def _unary(node: Node) -> Fn:
    operand = compile_node(node.args[0])
    if node.value == "-":
        return lambda v, t: rt.negate(operand(v, t))

    def negation(v, t):
        value = operand(v, t)
        if value is True or value is False:
            return not value
        return not rt.truth(value, "!")
    return negation


def _binary(node: Node) -> Fn:
    op, (left, right) = node.value, (compile_node(arg) for arg in node.args)
    if op in _ORDERING:
        compare = _ORDERING[op]

        def ordering(v, t):
            a, b = left(v, t), right(v, t)
            if type(a) is type(b) and type(a) in _FAST_ORDERED:
                return compare(a, b)
            return compare(*rt.ordered(a, b, op))
        return ordering
    if op == "in":
        def contains(v, t):
            item, container = left(v, t), right(v, t)
            if container is None:
                raise MissingValue('The right side of "in" is missing.')
            return item in container
        return contains
    if op in ("==", "!=") and INLINE_EQUALITY_AND_TRUTH:
        return _equality(node, left, right, op == "==")
    function = _BINARY[op]
    return lambda v, t: function(left(v, t), right(v, t))


def _equality(node: Node, left: Fn, right: Fn, equal: bool) -> Fn:
    """`_equal` (`equal`) or its negation in the closure itself, a literal right side put
    in as its value: a definition's conditions are mostly `answer == 'value'`."""
    if node.args[1].kind == "literal":
        b = node.args[1].value
        if type(b) is bool:
            def equal_to_flag(v, t):
                a = left(v, t)
                return type(a) is bool and a == b

            def unequal_to_flag(v, t):
                a = left(v, t)
                return not (type(a) is bool and a == b)
            return equal_to_flag if equal else unequal_to_flag

        def equal_to_literal(v, t):
            a = left(v, t)
            return type(a) is not bool and a == b

        def unequal_to_literal(v, t):
            a = left(v, t)
            return not (type(a) is not bool and a == b)
        return equal_to_literal if equal else unequal_to_literal

    def equality(v, t):
        a, b = left(v, t), right(v, t)
        if type(a) is bool or type(b) is bool:
            return type(a) is type(b) and a == b
        return a == b

    def inequality(v, t):
        a, b = left(v, t), right(v, t)
        if type(a) is bool or type(b) is bool:
            return not (type(a) is type(b) and a == b)
        return not a == b
    return equality if equal else inequality


def _equal(a: Any, b: Any) -> bool:
    if type(a) is bool or type(b) is bool:  # Python says True == 1; CEL does not
        return type(a) is type(b) and a == b
    return a == b


# The kinds `rt.ordered` admits, when both sides are of one Python type: compared at once.
# Any other pair (two lists, two booleans, two maps, reaching here as dyn) goes through
# `rt.ordered`, which refuses it with a message; Python alone would order lists and booleans.
_FAST_ORDERED = frozenset({int, float, Decimal, str, dt.date, dt.datetime, dt.time})
_ORDERING = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
               ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}
_BINARY = {"+": rt.add, "-": rt.subtract, "*": rt.multiply, "/": rt.divide, "%": rt.modulo,
           "==": _equal, "!=": lambda a, b: not _equal(a, b)}


def _and(node: Node) -> Fn:
    return _logical(node, deciding=False)


def _or(node: Node) -> Fn:
    return _logical(node, deciding=True)


def _logical(node: Node, deciding: bool) -> Fn:
    """&& (deciding=False) and || (deciding=True), commutative over errors as in CEL:
    when one side fails and the other side decides the result, the result stands."""
    left, right = (compile_node(arg) for arg in node.args)
    what = "&&" if not deciding else "||"
    if INLINE_EQUALITY_AND_TRUTH:
        return _logical_inline(left, right, what, deciding)

    def logical(v, t):
        try:
            first = rt.truth(left(v, t), what)
        except EvaluationError:
            if rt.truth(right(v, t), what) is deciding:
                return deciding
            raise
        if first is deciding:
            return deciding
        return rt.truth(right(v, t), what)
    return logical


def _logical_inline(left: Fn, right: Fn, what: str, deciding: bool) -> Fn:
    """`_logical`'s closure with `rt.truth` called only for what is not true or false."""
    def logical(v, t):
        try:
            first = left(v, t)
            if first is not True and first is not False:
                first = rt.truth(first, what)
        except EvaluationError:
            second = right(v, t)
            if (second if second is True or second is False else rt.truth(second, what)) is deciding:
                return deciding
            raise
        if first is deciding:
            return deciding
        second = right(v, t)
        return second if second is True or second is False else rt.truth(second, what)
    return logical


def _cond(node: Node) -> Fn:
    cond, then, other = (compile_node(arg) for arg in node.args)

    def conditional(v, t):
        test = cond(v, t)
        if test is True:
            return then(v, t)
        if test is False:
            return other(v, t)
        return then(v, t) if rt.truth(test, "?:") else other(v, t)
    return conditional


def _list(node: Node) -> Fn:
    items = [compile_node(item) for item in node.args]
    return lambda v, t: [item(v, t) for item in items]


def _map(node: Node) -> Fn:
    keys = [compile_node(item) for item in node.args[0::2]]
    values = [compile_node(item) for item in node.args[1::2]]
    return lambda v, t: {key(v, t): value(v, t) for key, value in zip(keys, values)}


OPTIONS = "@options"      # variable: an object whose .get(field_path, value) gives the option or None


def _option_of(node: Node) -> Fn:
    argument, path = compile_node(node.args[0]), node.info

    def option_of(v, t):
        value, options = argument(v, t), v.get(OPTIONS)
        if value is None:
            raise MissingValue(f"option_of() got a missing value ({_describe(node.args[0])}).")
        if options is None:
            raise MissingValue("option_of(): the choice lists are not available here.")
        return options.get(path, value)
    return option_of


_COMPILERS: dict[str, Callable[[Node], Fn]] = {
    "option_of": _option_of,
    "literal": _literal, "name": _name, "member": _member, "index": _index, "has": _has,
    "call": _call, "method": _method, "unary": _unary, "binary": _binary, "and": _and,
    "or": _or, "cond": _cond, "list": _list, "map": _map,
}
