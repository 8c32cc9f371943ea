"""Turn raw answers (form posts, stored JSON, test YAML) into typed values.

Stored answers are JSON: dates are ISO strings and amounts decimal strings. The engine
works on typed values (read by the field-type registry's readers): `datetime.date`,
`datetime.datetime`, `datetime.time`, `Decimal`, `bool`, lists and dicts. A value that
cannot be read as its field's type is reported and left out, never guessed.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..documents import coerce_problems, coerce_summary
from ..expressions import EvaluationError
from ..fieldtypes import readers
from ..fieldtypes.readers import to_json  # noqa: F401  (the engine's public name for it)
from ..model import Field

Report = Callable[[str, str], None]      # (field path with indexes, message key)


def coerce_fields(fields: tuple[Field, ...], raw: Mapping[str, Any], prefix: str, report: Report) -> dict:
    """The typed values of `fields` found in `raw`; unknown keys are dropped."""
    values: dict[str, Any] = {}
    for field in fields:
        if field.name not in raw:
            continue
        typed = coerce_value(field, raw[field.name], f"{prefix}{field.name}", report)
        if typed is not None:
            values[field.name] = typed
    return values


def coerce_value(field: Field, raw: Any, path: str, report: Report) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip() and field.type != "long_text"):
        return None
    try:
        if field.type in _STRUCTURAL:
            return _STRUCTURAL[field.type](field, raw, path, report)
        typed = (field.kind.reader or readers.read_text)(field, raw)
        return normalised(field, typed) if field.normalise is not None else typed
    except readers.TooLarge:
        report(path, "too_large")
    except readers.ControlCharacters:
        report(path, "control_characters")
    # ArithmeticError covers decimal's InvalidOperation and Overflow; KeyError a file
    # answer without its name, size or media type. Raw input never raises.
    except (ValueError, TypeError, ArithmeticError, AttributeError, KeyError):
        report(path, f"invalid_{field.type}")
    return None


def normalised(field: Field, text: Any) -> Any:
    """The answer after the field's `normalise` (`ab-1234` and `AB 1234` both `AB1234`), so
    that checks, rules and storage see one spelling. One that cannot be applied leaves the
    answer as typed; an empty result is no answer."""
    if not isinstance(text, str):
        return text
    try:
        result = field.normalise.evaluate({"value": text}, None)
    except EvaluationError:
        return text
    return readers.checked_text(field, result) or None if isinstance(result, str) else text


def _read_file(field: Field, raw: Any, path: str, report: Report) -> dict | list | None:
    items = raw if isinstance(raw, list) else [raw]
    files = [{"name": readers.checked_text(field, str(f["name"])), "size": _size(f["size"]), "media_type": str(f["media_type"]),
              **({"id": str(f["id"])} if "id" in f else {}), **_document(field, f)} for f in items]
    if not files:
        return None
    return files if (field.max_files or 1) > 1 else files[0]


def _size(raw: Any) -> int:
    if isinstance(raw, bool) or int(raw) < 0:
        raise ValueError("a file size is a whole number of bytes, 0 or more")
    return int(raw)


def _document(field: Field, raw: Mapping) -> dict:
    """What a document reader found in the file (stored by the runtime on upload), typed."""
    if not field.document:
        return {}
    return {"document": coerce_summary(field.document, raw.get("document")),
            "document_problems": coerce_problems(raw.get("document_problems"))}


def _read_group(field: Field, raw: Any, path: str, report: Report) -> dict | None:
    if not isinstance(raw, Mapping):
        raise TypeError("a group needs a mapping")
    return coerce_fields(field.children, raw, f"{path}.", report) or None


def _read_repeat(field: Field, raw: Any, path: str, report: Report) -> list[dict] | None:
    if not isinstance(raw, list):
        raise TypeError("a repeat needs a list")
    entries = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            raise TypeError("a repeat entry needs a mapping")
        entries.append(coerce_fields(field.children, entry, f"{path}[{index}].", report))
    return entries or None


# Types whose values hold other answers (or server-written file facts): read here, where
# the recursion and the report live; every other type's reader is in the registry.
_STRUCTURAL = {"file": _read_file, "group": _read_group, "repeat": _read_repeat}
