"""Check a loaded definition against its JSON Schema and report problems E201-E208.

jsonschema's own messages ("'x' is a required property", "Additional properties are not
allowed") speak of schemas, not of the file an admin wrote. We turn every error into one
problem with a stable code, the line and column of the offending node, a dotted path and a
hint on how to fix it. The schema files are the single contract; editors read them too,
so the friendly texts live there (`errorMessage`, `patternErrorMessage`, as understood by
vscode-json-languageservice / yaml-language-server).
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError, relevance
from jsonschema.validators import extend

from .problems import Problems, did_you_mean
from .yamlload import Document

SCHEMA_DIR = Path(__file__).parent / "schema"
KINDS = ("service", "municipality", "codelist")

_CODE_BY_KEYWORD = {
    "required": "E201", "additionalProperties": "E202", "type": "E203", "enum": "E204",
    "const": "E204", "pattern": "E205", "format": "E205",
    **{k: "E206" for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                           "minLength", "maxLength", "minItems", "maxItems",
                           "minProperties", "maxProperties")},
}
_RANGE_WORDS = {  # keyword -> message template; {limit} is the schema's bound
    "minimum": "{value} is too small: use {limit} or more",
    "maximum": "{value} is too large: use {limit} or less",
    "exclusiveMinimum": "{value} is too small: use more than {limit}",
    "exclusiveMaximum": "{value} is too large: use less than {limit}",
    "minLength": "too short: write at least {limit} {characters}",
    "maxLength": "too long: write at most {limit} {characters}",
    "minItems": "too few: the list needs at least {limit} {entries}",
    "maxItems": "too many: the list allows at most {limit} {entries}",
    "minProperties": "too few: it needs at least {limit} {entries}",
    "maxProperties": "too many: it allows at most {limit} {entries}",
}
_TYPE_WORDS = {"string": "a string", "number": "a number", "integer": "a whole number",
               "boolean": "true or false", "object": "a mapping of keys", "array": "a list",
               "null": "nothing (null)"}


@cache
def load_schema(kind: str) -> dict:
    """The schema for `kind`, read once from the package directory."""
    if kind not in KINDS:
        raise ValueError(f"unknown schema kind {kind!r}; expected one of {KINDS}")
    return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def _validator(kind: str) -> Draft202012Validator:
    # The loader gives exact Decimals; "number" must accept them (numbers.Number already
    # covers Decimal, but we say so explicitly so that a jsonschema change cannot break it).
    checker = Draft202012Validator.TYPE_CHECKER.redefine(
        "number", lambda _, value: isinstance(value, (int, float, Decimal)) and not isinstance(value, bool))
    validator_class = extend(Draft202012Validator, type_checker=checker)
    # Only `date` is checked as a format: other formats would depend on optional packages.
    return validator_class(load_schema(kind), format_checker=FormatChecker(formats=["date"]))


# Kinds checked first by a compiled validator (fastjsonschema: about 20x faster than the
# jsonschema pass). Only the kind there are hundreds of: generating the service schema's
# validator costs more (~300 ms) than it saves on a few services.
FAST_KINDS = ("municipality",)


@cache
def _fast_validator(kind: str) -> Callable[[Any], Any]:
    return fastjsonschema.compile(load_schema(kind))


def passes_fast_check(data: Any, kind: str) -> bool:
    """True when the compiled validator finds nothing wrong with `data`. It is at least as
    strict as the jsonschema pass (its `$` does not match before a trailing newline, its
    numbers are int or float only), never laxer, so True means that pass would find nothing;
    False only means that pass must run to tell what is wrong, where."""
    try:
        _fast_validator(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def check_document(doc: Document, kind: str, problems: Problems) -> bool:
    """Validate `doc` against the `kind` schema, adding one problem per distinct error.
    Kinds in FAST_KINDS take the compiled validator's fast path; only when it objects does
    the jsonschema pass run, so the codes, places and messages are always that pass's."""
    if kind in FAST_KINDS and passes_fast_check(doc.data, kind):
        return True
    seen: set[tuple] = set()
    found = False
    for error in _validator(kind).iter_errors(doc.data):
        for code, node_path, message, subject in _describe(error, doc.data):
            key = (code, node_path, subject)
            if key in seen:
                continue
            seen.add(key)
            line, column = doc.where(node_path)
            problems.add(code, message, doc.path, line, column)
            found = True
    return not found


Described = tuple[str, tuple, str, str]  # code, node path, message, subject (for dedup)


def _describe(error: ValidationError, root: Any) -> Iterable[Described]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        return _missing_keys(error, path)
    if keyword == "additionalProperties":
        return _unknown_keys(error, path)
    if keyword in ("anyOf", "oneOf"):
        return _alternatives(error, path, root)
    if keyword == "not" and error.validator_value == {}:  # a key not allowed in this context
        return [("E207", path, _not_allowed(error, path, root), "")]
    if keyword == "const" and path == ("format",):
        return [("E208", path, f"`format` is {_shown(error.instance)}, but only format 1 is supported; write `format: 1`", "")]
    if _is_property_name(error):
        return [(_CODE_BY_KEYWORD.get(keyword, "E207"), path + (error.instance,), _bad_name(error, path), "")]
    code = _CODE_BY_KEYWORD.get(keyword, "E207")
    return [(code, path, f"{_where(path)}: {_what(error)}", "")]


def _missing_keys(error: ValidationError, path: tuple) -> Iterable[Described]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    because = ""
    if "then" in error.schema_path and "type" in instance:
        because = f" (a field of type {instance['type']} needs it)"
    for key in error.validator_value:
        if key not in instance:
            yield ("E201", path, f"{_where(path)}: the key `{key}` is missing{because}; add it", key)


def _unknown_keys(error: ValidationError, path: tuple) -> Iterable[Described]:
    schema = error.schema
    known = list(schema.get("properties", {}))
    patterns = list(schema.get("patternProperties", {}))
    for key in error.instance:
        if key in known or any(re.search(p, key) for p in patterns):
            continue
        hint = _split_by_comma(key, error.instance[key]) or did_you_mean(key, known)
        message = f"{_where(path)}: unknown key `{key}`.{hint or ' Remove it or check its spelling.'}"
        yield ("E202", path + (key,), message, key)


def _split_by_comma(key: str, value: Any) -> str:
    """A words-and-spaces "key" without a value is what YAML makes of the text after an
    unquoted comma inside `{...}`: `{lv: Apliecinu, ka ...}` is two keys, `lv` and `ka ...`."""
    if value is not None or not re.search(r"\s", key):
        return ""
    return (" A comma inside `{...}` ends the value before it, so the text after it became a key:"
            " put the whole text in quotes, e.g. lv: \"Apliecinu, ka ...\".")


def _alternatives(error: ValidationError, path: tuple, root: Any) -> Iterable[Described]:
    """anyOf/oneOf: report the alternative that came closest, in the schema's own words."""
    custom = error.schema.get("errorMessage")
    subs = list(error.context)
    if not subs:  # oneOf matched more than once
        return [("E207", path, f"{_where(path)}: {custom or 'the value fits more than one alternative'}", "")]
    shallow_type = [e for e in subs if e.validator == "type" and not e.relative_path]
    if len(shallow_type) == len(subs):  # the value's type fits no alternative
        wanted = " or ".join(_TYPE_WORDS.get(e.validator_value, str(e.validator_value)) for e in subs)
        return [("E203", path, f"{_where(path)}: {custom or 'expected ' + wanted}", "")]
    closer = [e for e in subs if e not in shallow_type]
    best = min(closer, key=relevance)  # the deepest, most specific error
    described = list(_describe(best, root))
    if custom and not best.relative_path and described[0][0] != "E202":
        return [(code, node, f"{_where(path)}: {custom}", subject) for code, node, _, subject in described]
    return described


def _not_allowed(error: ValidationError, path: tuple, root: Any) -> str:
    key = path[-1] if path else "?"
    owner = _node_at(root, path[:-1])
    owner_type = owner.get("type") if isinstance(owner, dict) else None
    what = {"fields": "a field", "parameters": "a parameter"}.get(path[-3] if len(path) > 2 else "", "an entry")
    because = error.schema.get("errorMessage", "")
    if isinstance(owner_type, str):
        return (f"{_where(path)}: `{key}` is not allowed for {what} of type {owner_type}"
                f"{'; ' + because if because else ''}. Remove it or change the type")
    return f"{_where(path)}: `{key}` is not allowed here; remove it"


def _node_at(root: Any, path: tuple) -> Any:
    node = root
    for part in path:
        node = node[part]
    return node


def _is_property_name(error: ValidationError) -> bool:
    return "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str)


def _bad_name(error: ValidationError, path: tuple) -> str:
    hint = error.schema.get("patternErrorMessage", f"it must match {error.validator_value}")
    return f"{_where(path)}: the key `{error.instance}` is not a valid name: {hint}"


def _what(error: ValidationError) -> str:
    keyword, value, schema = error.validator, error.validator_value, error.schema
    if keyword == "type":
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in ([value] if isinstance(value, str) else value))
        quote = ' (quote it: "…")' if value == "string" and isinstance(error.instance, (int, Decimal)) else ""
        return f"expected {wanted}, not {_shown(error.instance)}{quote}"
    if keyword in ("enum", "const"):
        allowed = value if keyword == "enum" else [value]
        return f"{_shown(error.instance)} is not allowed; use one of: {', '.join(map(str, allowed))}"
    if keyword in ("pattern", "format"):
        hint = schema.get("patternErrorMessage", f"it must match {value}" if keyword == "pattern" else f"it must be a valid {value}")
        return f"{_shown(error.instance)} does not fit: {hint}"
    if keyword in _RANGE_WORDS:
        one = value == 1
        return _RANGE_WORDS[keyword].format(value=_shown(error.instance), limit=value,
                                            characters="character" if one else "characters",
                                            entries="entry" if one else "entries")
    return error.message


def _shown(value: Any) -> str:
    text = repr(str(value)) if isinstance(value, Decimal) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _where(path: tuple) -> str:
    """A readable path: `fields.owner.fields.surname`, `pages[0].title`."""
    if not path:
        return "the top level"
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"`{text}`"
