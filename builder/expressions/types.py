"""Static types of expression values.

Types are immutable and hashable so that they can be compared, cached and used as keys.
INT is a subtype of NUMBER (an int may go wherever a number is expected), NULL fits
anywhere (an unanswered field is null) and DYN switches checking off in both directions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping


class Type:
    """Base class of all static types."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Primitive(Type):
    name: str

    def __str__(self) -> str:
        return self.name


BOOL = Primitive("bool")
INT = Primitive("int")
NUMBER = Primitive("number")
STRING = Primitive("string")
DATE = Primitive("date")
DATETIME = Primitive("datetime")   # a local (Latvian) date and time to the minute
TIME = Primitive("time")           # a time of day to the minute
NULL = Primitive("null")
DYN = Primitive("dyn")


@dataclass(frozen=True, slots=True)
class ListType(Type):
    elem: Type

    def __str__(self) -> str:
        return f"list({self.elem})"


@dataclass(frozen=True, slots=True)
class MapType(Type):
    """An open map such as a `table` parameter: any key of the key type may be present."""

    key: Type
    value: Type

    def __str__(self) -> str:
        return f"map({self.key}, {self.value})"


class FrozenFields(Mapping[str, Type]):
    """A read-only, hashable name -> type mapping (the fields of an ObjectType)."""

    __slots__ = ("_items", "_hash")

    def __init__(self, fields: Mapping[str, Type]) -> None:
        self._items = dict(fields)
        self._hash = hash(frozenset(self._items.items()))

    def __getitem__(self, key: str) -> Type:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenFields):
            return self._items == other._items
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenFields({self._items!r})"


@dataclass(frozen=True, slots=True)
class ObjectType(Type):
    """A closed record (a group, a repeat entry, `param`): an unknown member is an error."""

    fields: Mapping[str, Type]
    name: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.fields, FrozenFields):
            object.__setattr__(self, "fields", FrozenFields(self.fields))

    def __str__(self) -> str:
        return f"object {self.name}" if self.name else "object"


def is_numeric(t: Type) -> bool:
    return t in (INT, NUMBER)


def is_assignable(target: Type, source: Type) -> bool:
    """True when a value of type `source` may be used where `target` is expected."""
    if target == source or target == DYN or source in (DYN, NULL):
        return True
    if target == NUMBER and source == INT:
        return True
    if isinstance(target, ListType) and isinstance(source, ListType):
        return is_assignable(target.elem, source.elem)
    if isinstance(target, MapType) and isinstance(source, MapType):
        return is_assignable(target.key, source.key) and is_assignable(target.value, source.value)
    if isinstance(target, MapType) and isinstance(source, ObjectType):
        # a record may be passed where a string-keyed map is expected
        return is_assignable(target.key, STRING) and all(
            is_assignable(target.value, t) for t in source.fields.values())
    if isinstance(target, ObjectType) and isinstance(source, ObjectType):
        return target.fields.keys() == source.fields.keys() and all(
            is_assignable(t, source.fields[n]) for n, t in target.fields.items())
    return False


def is_comparable(a: Type, b: Type) -> bool:
    """Whether `==`/`!=` between the two types makes sense."""
    return is_assignable(a, b) or is_assignable(b, a)


def unify(a: Type, b: Type) -> Type | None:
    """The most specific type both `a` and `b` fit, or None if there is none."""
    if a == b:
        return a
    if a == DYN or b == DYN:
        return DYN
    if a == NULL:
        return b
    if b == NULL:
        return a
    if is_numeric(a) and is_numeric(b):
        return NUMBER
    if isinstance(a, ListType) and isinstance(b, ListType):
        elem = unify(a.elem, b.elem)
        return ListType(elem) if elem is not None else None
    if isinstance(a, MapType) and isinstance(b, MapType):
        key, value = unify(a.key, b.key), unify(a.value, b.value)
        return MapType(key, value) if key is not None and value is not None else None
    if is_assignable(a, b):
        return a
    if is_assignable(b, a):
        return b
    return None
