"""Read a YAML definition into plain data, keeping the line and column of every node.

We compose the node graph with PyYAML's safe loader and build the data ourselves, so
that we can (1) record positions, (2) reject duplicate keys, anchors and aliases (the
"billion laughs" shape), and (3) resolve plain scalars by the YAML 1.2 core schema:
only `true`/`false` are booleans (no Norway problem) and `1.50` becomes the exact
Decimal("1.50"), never a binary float. Dates stay ISO strings; the schema checks them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from .problems import Problems

Path = tuple[str | int, ...]

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


# libyaml's parser is about ten times faster than PyYAML's pure-Python one and keeps the
# same marks; start-up reads every municipality overlay, so this is most of its cost.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    """A loaded file: its data, where each node stands, and its path for messages."""

    path: str
    data: Any
    positions: dict[Path, tuple[int, int]]          # a mapping entry: its key; else the node
    value_positions: dict[Path, tuple[int, int]]    # where a scalar's text starts

    def value_at(self, node_path: Path) -> tuple[int, int]:
        """Where the text of the scalar at `node_path` starts (for expression columns)."""
        return self.value_positions.get(tuple(node_path)) or self.where(node_path)

    def where(self, node_path: Path) -> tuple[int, int]:
        """The position of `node_path`, or of its nearest ancestor that has one."""
        probe = tuple(node_path)
        while probe:
            if probe in self.positions:
                return self.positions[probe]
            probe = probe[:-1]
        return self.positions.get((), (1, 1))


class _Rejected(Exception):
    def __init__(self, code: str, message: str, mark: yaml.Mark | None):
        super().__init__(message)
        self.code, self.message, self.mark = code, message, mark


def load_text(text: str, path: str, problems: Problems) -> Document | None:
    """Parse `text`; on failure add problems and return None."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add("E102", f"not valid YAML: {exc.problem or exc}", path, line, col)
        return None
    except yaml.YAMLError as exc:  # e.g. a reader error on bad bytes
        problems.add("E102", f"not valid YAML: {exc}", path, 1, 1)
        return None
    if root is None or not isinstance(root, yaml.MappingNode):
        problems.add("E104", "the file must hold a mapping of keys (like `format: 1`)", path, 1, 1)
        return None
    positions: dict[Path, tuple[int, int]] = {}
    value_positions: dict[Path, tuple[int, int]] = {}
    try:
        data = _build(root, (), (positions, value_positions), set())
    except _Rejected as exc:
        mark = _first_alias(text) if exc.code == "E105" and exc.message.startswith("YAML aliases") else exc.mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.add(exc.code, exc.message, path, line, col)
        return None
    return Document(path, data, positions, value_positions)


def _first_alias(text: str) -> yaml.Mark | None:
    """Where the first `*alias` stands: the composed node only knows its anchor's place."""
    return next((event.start_mark for event in yaml.parse(text, Loader=yaml.SafeLoader)
                 if isinstance(event, yaml.AliasEvent)), None)


def _build(node: yaml.Node, path: Path, maps: tuple[dict, dict], seen: set[int]) -> Any:
    # PyYAML's composer turns an alias into the very same node object, so a node met
    # twice is an alias: refuse it rather than expand it.
    if id(node) in seen:
        raise _Rejected("E105", "YAML aliases (*name) are not allowed; write the value out", node.start_mark)
    seen.add(id(node))
    positions, value_positions = maps
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, path, maps, seen)
    if isinstance(node, yaml.SequenceNode):
        _check_tag(node, "tag:yaml.org,2002:seq")
        return [_build(item, path + (i,), maps, seen) for i, item in enumerate(node.value)]
    value_positions[path] = _text_start(node)
    return _scalar(node)


def _text_start(node: yaml.ScalarNode) -> tuple[int, int]:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.style in ("'", '"'):
        return line, column + 1          # skip the opening quote
    if node.style in ("|", ">"):
        return line + 1, column + 2      # block text starts on the next line, indented
    return line, column


def _build_mapping(node: yaml.MappingNode, path: Path, maps: tuple[dict, dict], seen: set[int]) -> dict:
    _check_tag(node, "tag:yaml.org,2002:map")
    positions = maps[0]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Rejected("E102", "a mapping key must be a plain word", key_node.start_mark)
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Rejected("E105", "YAML merge keys (<<) are not allowed", key_node.start_mark)
        key = str(key_node.value)
        if key in result:
            first = positions.get(path + (key,), (0, 0))[0]
            raise _Rejected("E103", f'the key "{key}" appears twice (first on line {first}); keep one',
                            key_node.start_mark)
        positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        result[key] = _build(value_node, path + (key,), maps, seen)
    return result


def _check_tag(node: yaml.Node, expected: str) -> None:
    if node.tag != expected:
        raise _Rejected("E105", f"custom YAML tags ({node.tag}) are not allowed", node.start_mark)


def _scalar(node: yaml.ScalarNode) -> Any:
    text = node.value
    if node.style in ("'", '"', "|", ">"):
        if node.tag not in ("tag:yaml.org,2002:str",):
            raise _Rejected("E105", f"custom YAML tags ({node.tag}) are not allowed", node.start_mark)
        return text
    if node.tag not in _PLAIN_TAGS:
        raise _Rejected("E105", f"custom YAML tags ({node.tag}) are not allowed", node.start_mark)
    return resolve_plain(text)


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema resolution of an unquoted scalar."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return Decimal(text)
    return text
