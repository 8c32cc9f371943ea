"""Turn raw answers (form posts, stored JSON, test YAML) into typed values.

Stored answers are JSON: dates are ISO strings and amounts decimal strings. The engine
works on typed values: `datetime.date`, `Decimal`, `bool`, lists and dicts. A value that
cannot be read as its field's type is reported and left out, never guessed.
"""
from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal
from typing import Any, Callable, Mapping

from ..documents import coerce_problems, coerce_summary
from ..model import Field

Report = Callable[[str, str], None]      # (field path with indexes, message key)

_YES = {"yes", "true", "jā", "ja", "1", "on"}
_NO = {"no", "false", "nē", "ne", "0", "off"}


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
    reader = _READERS.get(field.type, _read_text)
    try:
        return reader(field, raw, path, report)
    except _TooLarge:
        report(path, "too_large")
    except _ControlCharacters:
        report(path, "control_characters")
    # ArithmeticError covers decimal's InvalidOperation and Overflow; KeyError a file
    # answer without its name, size or media type. Raw input never raises.
    except (ValueError, TypeError, ArithmeticError, AttributeError, KeyError):
        report(path, f"invalid_{field.type}")
    return None


class _TooLarge(ValueError):
    """A number beyond any amount a form needs; refused so that fee arithmetic stays exact."""


class _ControlCharacters(ValueError):
    """Text with a character nobody types (NUL, escape, a lone surrogate...): refused
    with its own message, because PostgreSQL cannot store a NUL and no field needs one."""


MAX_INTEGER_DIGITS = 15
ALLOWED_CONTROLS = {"text": "\t", "long_text": "\t\n"}


def checked_text(field: Field, text: str) -> str:
    """`text`, or `_ControlCharacters` when it holds a control character other than a
    tab (and a line break in long text) or half of a surrogate pair."""
    allowed = ALLOWED_CONTROLS["long_text" if field.type == "long_text" else "text"]
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text):
        raise _ControlCharacters(field.path)
    return text


def _read_text(field: Field, raw: Any, path: str, report: Report) -> str | None:
    if isinstance(raw, (dict, list)):
        raise TypeError("not text")
    text = str(raw).strip() if field.type != "long_text" else str(raw).replace("\r\n", "\n")
    return checked_text(field, text) or None


def _read_compact(field: Field, raw: Any, path: str, report: Report) -> str | None:
    """Identifiers are compared without spaces; personal codes keep their dash optional."""
    text = _read_text(field, raw, path, report)
    return text.replace(" ", "").upper() if text else None


def _read_number(field: Field, raw: Any, path: str, report: Report) -> Decimal:
    if isinstance(raw, bool):
        raise TypeError("a yes/no is not a number")
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("not finite")
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        raise _TooLarge(text)
    return value


def _read_date(field: Field, raw: Any, path: str, report: Report) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    return datetime.date.fromisoformat(str(raw).strip())


def _read_bool(field: Field, raw: Any, path: str, report: Report) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError("not yes or no")


def _read_multi(field: Field, raw: Any, path: str, report: Report) -> list[str] | None:
    items = raw if isinstance(raw, list) else [raw]
    chosen = [checked_text(field, str(item)) for item in items if item not in (None, "")]
    return list(dict.fromkeys(chosen)) or None


def _read_file(field: Field, raw: Any, path: str, report: Report) -> dict | list | None:
    items = raw if isinstance(raw, list) else [raw]
    files = [{"name": checked_text(field, str(f["name"])), "size": _size(f["size"]), "media_type": str(f["media_type"]),
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


_READERS = {
    "number": _read_number, "money": _read_number, "date": _read_date, "yes_no": _read_bool,
    "multi_choice": _read_multi, "file": _read_file, "group": _read_group, "repeat": _read_repeat,
    "personal_code": _read_compact, "registration_number": _read_compact, "iban": _read_compact,
}


def to_json(value: Any) -> Any:
    """Typed values back to JSON-safe ones (for storage): dates ISO, decimals as strings."""
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, (datetime.date, Decimal)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return value
