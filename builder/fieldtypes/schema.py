"""The JSON Schema's per-type key lists, written from the registry: the `type` enum of a
field and one `if type in [...] then <key>: not allowed` block per group of keys that the
same types take. `python -m builder.fieldtypes` rewrites builder/schema/service.schema.json;
a test fails when the file and the registry disagree."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import FIELD_TYPES, types_with_key

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "service.schema.json"
# The order the blocks appear in (the keys a type restricts, as the schema lists them)
KEY_ORDER = ("min_length", "max_length", "pattern", "pattern_message", "normalise", "decimals", "unit", "choices",
             "choice_filter", "display", "min_items", "max_items", "country", "accept", "max_size_mb",
             "max_files", "item_label", "fields", "min", "max", "document")


def key_blocks() -> list[dict[str, Any]]:
    """One `allOf` block per set of types sharing keys: the other types may not use them."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for key in KEY_ORDER:
        groups.setdefault(tuple(types_with_key(key)), []).append(key)
    blocks = []
    for allowed, keys in groups.items():
        others = [name for name in FIELD_TYPES if name not in allowed]
        where = ", ".join(allowed)
        blocks.append({
            "if": {"required": ["type"], "properties": {"type": {"enum": others}}},
            "then": {"properties": {key: {"not": {}, "errorMessage": f"`{key}` is only for fields of type {where}"}
                                    for key in keys}}})
    return blocks


def bound_blocks() -> list[dict[str, Any]]:
    """Per type with value bounds: `min` and `max` are decimals or expressions."""
    return [{"if": {"required": ["type"], "properties": {"type": {"enum": [kind.name]}}},
             "then": {"properties": {key: {"$ref": f"#/$defs/{kind.bound_schema}"} for key in ("min", "max")}}}
            for kind in FIELD_TYPES.values() if kind.bound is not None]


def _is_generated(block: Any) -> bool:
    """A key block (`not` allowed) or a bound block (`$ref`), as this module writes them."""
    then = block.get("then", {}) if isinstance(block, dict) else {}
    props = then.get("properties", {})
    if not props or "type" not in block.get("if", {}).get("properties", {}):
        return False
    keys_only = all(value.get("not") == {} for value in props.values())
    bounds = set(props) == {"min", "max"} and all(set(value) == {"$ref"} for value in props.values())
    return keys_only or bounds


def with_registry(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the field's type enum and key blocks taken from the registry."""
    field = schema["$defs"]["field"]
    names = list(FIELD_TYPES)
    field["properties"]["type"]["enum"] = names
    field["properties"]["type"]["description"] = ", ".join(names) + "."
    rest = [block for block in field["allOf"] if not _is_generated(block)]
    field["allOf"] = key_blocks() + bound_blocks() + rest
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write() -> bool:
    """Rewrite the schema file from the registry; True when it changed."""
    before = SCHEMA_FILE.read_text(encoding="utf-8")
    after = render(with_registry(json.loads(before)))
    if after != before:
        SCHEMA_FILE.write_text(after, encoding="utf-8")
    return after != before
