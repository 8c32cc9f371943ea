"""The type checker: gives every node its static type and collects all problems.

A node that has a problem gets the type DYN, so one mistake is reported once and does not
cascade into the expressions around it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from ..problems import did_you_mean
from . import types as T
from .errors import ExprProblem
from .library import FUNCTIONS, LITERAL_CHECKS, METHODS, Overload
from .operators import binary_result, mismatch_hint
from .syntax import MACROS, Node

OPTION_OF = "option_of"
CHOICES = "@choices"     # scope entry: an object type from choice field paths to option types


def _quoted(names) -> str:
    return ", ".join(sorted(names)) or "none"


class Checker:
    def __init__(self, scope: Mapping[str, T.Type]) -> None:
        self.scope = scope
        self.locals: dict[str, tuple[T.Type, str | None]] = {}  # macro loop variables
        self.problems: list[ExprProblem] = []
        self.names: set[str] = set()
        self.paths: set[str] = set()

    def report(self, code: str, node: Node, message: str) -> T.Type:
        self.problems.append(ExprProblem(code, message, node.line, node.column))
        return T.DYN

    def check(self, node: Node, as_prefix: bool = False) -> T.Type:
        """The type of `node`; `as_prefix` when it is the target of a member access."""
        node.type = getattr(self, "_" + node.kind)(node)
        if node.path and not as_prefix:
            self.paths.add(node.path)
        return node.type

    def _literal(self, node: Node) -> T.Type:
        value = node.value
        if isinstance(value, bool):
            return T.BOOL
        if isinstance(value, int):
            return T.INT
        if isinstance(value, Decimal):
            return T.NUMBER
        return T.STRING if isinstance(value, str) else T.NULL

    def _name(self, node: Node) -> T.Type:
        name = node.value
        if name in self.locals:
            node.type, node.path = self.locals[name]
            return node.type
        if name in self.scope:
            self.names.add(name)
            node.path = name
            return self.scope[name]
        hint = f" It is a function: call it as {name}()." if name in FUNCTIONS else \
            did_you_mean(name, [*self.scope, *self.locals])
        return self.report("E302", node, f'Unknown name "{name}". Use a field, a computed value, '
                           f"param.<name>, municipality.<...> or person.<...>.{hint}")

    def _member(self, node: Node) -> T.Type:
        target, name = node.args[0], node.value
        target_type = self.check(target, as_prefix=True)
        if target.path:
            node.path = f"{target.path}.{name}"
        if isinstance(target_type, T.ObjectType):
            if name in target_type.fields:
                return target_type.fields[name]
            what = f"{target_type}" if target_type.name else "this object"
            return self.report("E303", node, f'Unknown member "{name}" of {what}; it has: '
                               f"{_quoted(target_type.fields)}.{did_you_mean(name, target_type.fields)}")
        if isinstance(target_type, T.MapType):
            if not T.is_assignable(target_type.key, T.STRING):
                return self.report("E303", node, f'A {target_type} has no member "{name}"; use [key].')
            return target_type.value
        if target_type == T.DYN:
            return T.DYN
        return self.report("E303", node, f'A {target_type} has no member "{name}"; '
                           "only groups, repeat entries and maps have members.")

    def _index(self, node: Node) -> T.Type:
        target_type, index_type = (self.check(arg) for arg in node.args)
        if isinstance(target_type, T.ListType) and T.is_assignable(T.INT, index_type):
            return target_type.elem
        if isinstance(target_type, T.MapType) and T.is_comparable(target_type.key, index_type):
            return target_type.value
        if target_type == T.DYN:
            return T.DYN
        return self.report("E305", node, f"Cannot index a {target_type} with a {index_type}; "
                           "use list[int] or map[key] (and a.b for members).")

    def _has(self, node: Node) -> T.Type:
        if len(node.args) != 1 or node.args[0].kind != "member":
            return self.report("E304", node, "has() takes one member, e.g. has(owner.pensioner).")
        self.check(node.args[0])
        return T.BOOL

    def _call(self, node: Node) -> T.Type:
        name = node.value
        if name == "has":
            node.kind = "has"
            return self._has(node)
        if name == OPTION_OF:
            node.kind = "option_of"
            return self._option_of(node)
        arg_types = tuple(self.check(arg) for arg in node.args)
        if name not in FUNCTIONS:
            hint = f" It is a method: write x.{name}(...)." if name in METHODS or name in MACROS else \
                did_you_mean(name, [*FUNCTIONS, "has"])
            return self.report("E304", node, f'Unknown function "{name}".{hint}')
        return self._resolve(node, FUNCTIONS[name], arg_types, f"{name}()")

    def _option_of(self, node: Node) -> T.Type:
        """`option_of(<choice field>)`: the chosen option {value, label, extra}, typed from the
        field's choice list (the scope's CHOICES entry maps field paths to option types)."""
        lists = self.scope.get(CHOICES)
        known = lists.fields if isinstance(lists, T.ObjectType) else {}
        if len(node.args) != 1:
            return self.report("E304", node, "option_of() takes one choice field, e.g. option_of(item.species).")
        self.check(node.args[0])
        path = self._field_path(node.args[0])
        if path not in known:
            return self.report("E304", node.args[0], f"option_of() takes a choice field; "
                               f"{path or 'this'} is not one. Choice fields: {_quoted(known)}."
                               f"{did_you_mean(path or '', known)}")
        node.info = path
        return known[path]

    def _field_path(self, node: Node) -> str | None:
        """The field path a (checked) node reads: `item` is an entry of the repeat its type
        is named after, a macro variable one of its list's, and `list[i]` one of `list`."""
        if node.kind == "member":
            base = self._field_path(node.args[0])
            return f"{base}.{node.value}" if base else None
        if node.kind == "index":
            return self._field_path(node.args[0])
        if node.kind != "name":
            return None
        item = self.scope.get("item")
        if node.value == "item" and node.value not in self.locals and isinstance(item, T.ObjectType):
            return item.name or None
        return node.path

    def _method(self, node: Node) -> T.Type:
        name = node.value
        if name in MACROS:
            node.kind = "macro"
            return self._macro(node)
        if name not in METHODS:
            self.check(node.args[0])  # not the arguments: a mistyped macro's variable is unknown
            hint = f" It is a function: write {name}(x, ...)." if name in FUNCTIONS else \
                did_you_mean(name, [*METHODS, *MACROS])
            return self.report("E304", node, f'Unknown method ".{name}()".{hint}')
        arg_types = tuple(self.check(arg) for arg in node.args)
        return self._resolve(node, METHODS[name], arg_types, f".{name}()")

    def _resolve(self, node: Node, overloads: list[Overload], arg_types, shown: str) -> T.Type:
        for overload in overloads:
            if overload.accepts(arg_types):
                node.info = overload
                self._check_literal_argument(node)
                return overload.result_type(arg_types)
        expected = " or ".join(o.signature() for o in overloads)
        got = ", ".join(map(str, arg_types))
        return self.report("E304", node, f"Wrong arguments for {shown}: got ({got}); expected {expected}.")

    def _check_literal_argument(self, node: Node) -> None:
        """A literal regular expression or date is checked now rather than failing later."""
        position, check = LITERAL_CHECKS.get(node.value, (None, None))
        if position is None or position >= len(node.args):
            return
        argument = node.args[position]
        if argument.kind == "literal" and isinstance(argument.value, str):
            try:
                check(argument.value)
            except ValueError as exc:
                self.report("E304", argument, f"Bad argument for {node.value}(): {exc}.")

    def _macro(self, node: Node) -> T.Type:
        kind, (target, *rest) = node.value, node.args
        arity_ok = len(rest) == 2 or (kind == "map" and len(rest) == 3)
        if not arity_ok or rest[0].kind != "name":
            form = "x.map(v, expression) or x.map(v, condition, expression)" if kind == "map" \
                else f"x.{kind}(v, condition)"
            return self.report("E304", node, f".{kind}() is written {form}, with v a new variable name.")
        collection = self.check(target)
        elem = self._element_type(node, collection)
        variable = rest[0].value
        saved = self.locals.get(variable)
        self.locals[variable] = (elem, target.path)
        try:
            body_types = [self.check(part) for part in rest[1:]]
        finally:
            self.locals.pop(variable)
            if saved is not None:
                self.locals[variable] = saved
        node.info = variable
        return self._macro_result(node, kind, collection, rest[1:], body_types)

    def _element_type(self, node: Node, collection: T.Type) -> T.Type:
        if isinstance(collection, T.ListType):
            return collection.elem
        if isinstance(collection, T.MapType):
            return collection.key
        if collection != T.DYN:
            self.report("E305", node, f".{node.value}() needs a list, not a {collection}.")
        return T.DYN

    def _macro_result(self, node: Node, kind: str, collection: T.Type, body, body_types) -> T.Type:
        conditions = body_types if kind in ("all", "exists", "exists_one", "filter") else body_types[:-1]
        for part, part_type in zip(body, conditions):
            if not T.is_assignable(T.BOOL, part_type):
                self.report("E305", part, f"The condition of .{kind}() must be true/false, not {part_type}.")
        if kind == "map":
            return T.ListType(body_types[-1])
        if kind == "filter":
            return collection if isinstance(collection, T.ListType) else T.ListType(T.DYN)
        return T.BOOL

    def _unary(self, node: Node) -> T.Type:
        operand = self.check(node.args[0])
        wanted = T.BOOL if node.value == "!" else T.NUMBER
        if operand == T.DYN or (operand != T.NULL and T.is_assignable(wanted, operand)):
            return operand if node.value == "-" else T.BOOL
        return self.report("E305", node, f'"{node.value}" needs a {wanted}, not a {operand}.')

    def _binary(self, node: Node) -> T.Type:
        left, right = (self.check(arg) for arg in node.args)
        result = binary_result(node.value, left, right)
        if result is None:
            return self.report("E305", node, f'"{node.value}" cannot combine {left} and {right}. '
                               + mismatch_hint(node.value, left, right))
        return result

    def _logical(self, node: Node) -> T.Type:
        op = "&&" if node.kind == "and" else "||"
        for arg in node.args:
            arg_type = self.check(arg)
            if not T.is_assignable(T.BOOL, arg_type) or arg_type == T.NULL:
                self.report("E305", node, f'"{op}" needs true/false on both sides, not {arg_type}; '
                            'compare first, e.g. x == "yes".')
        return T.BOOL

    _and = _or = _logical

    def _cond(self, node: Node) -> T.Type:
        cond, then, other = (self.check(arg) for arg in node.args)
        if not T.is_assignable(T.BOOL, cond) or cond == T.NULL:
            self.report("E305", node, f"The condition before ? must be true/false, not {cond}.")
        result = T.unify(then, other)
        if result is None:
            return self.report("E305", node, f"The two branches of ?: give {then} and {other}; "
                               "they must give the same type.")
        return result

    def _list(self, node: Node) -> T.Type:
        return T.ListType(self._common([self.check(item) for item in node.args]))

    def _map(self, node: Node) -> T.Type:
        types = [self.check(item) for item in node.args]
        return T.MapType(self._common(types[0::2]), self._common(types[1::2]))

    @staticmethod
    def _common(types: list[T.Type]) -> T.Type:
        """The unified type of list items; mixed items give dyn, as in CEL."""
        result = types[0] if types else T.DYN
        for item in types[1:]:
            result = T.unify(result, item) or T.DYN
        return result
