"""Readers of raw answers (form posts, stored JSON, test YAML) into typed values, one per
kind of value. A reader raises ValueError, TypeError or ArithmeticError on what it cannot
read; the engine reports that as the type's `invalid_<type>` message."""
from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import Any

_YES = {"yes", "true", "jā", "ja", "1", "on"}
_NO = {"no", "false", "nē", "ne", "0", "off"}
MAX_INTEGER_DIGITS = 15
# 18:00, 18.00, 8:05; the Latvian day.month.year before a time, or ISO with T or a space
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
_LV_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})\.?")


class TooLarge(ValueError):
    """A number beyond any amount a form needs; refused so that fee arithmetic stays exact."""


class ControlCharacters(ValueError):
    """Text with a character nobody types (NUL, escape, a lone surrogate...): refused
    with its own message, because PostgreSQL cannot store a NUL and no field needs one."""


ALLOWED_CONTROLS = {"text": "\t", "long_text": "\t\n"}
# Unicode's Cc (C0, DEL, C1) and Cs (surrogates) characters, which Unicode's stability
# policy keeps fixed, as one character class: one C-level search per answer instead of a
# `unicodedata.category` call per character (some 110 calls of a dog-fee evaluation);
# tests/builder/test_fieldtypes.py compares it with `unicodedata` on every code point.
_REFUSED = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
_CONTROLS = {kind: re.compile(f"(?![{allowed}])[{_REFUSED}]") for kind, allowed in ALLOWED_CONTROLS.items()}


def checked_text(field: Any, text: str) -> str:
    """`text`, or `ControlCharacters` when it holds a control character other than a
    tab (and a line break in long text) or half of a surrogate pair."""
    if _CONTROLS["long_text" if getattr(field, "type", None) == "long_text" else "text"].search(text):
        raise ControlCharacters(getattr(field, "path", ""))
    return text



def read_text(field: Any, raw: Any) -> str | None:
    if isinstance(raw, (dict, list)):
        raise TypeError("not text")
    text = str(raw).strip() if field.type != "long_text" else str(raw).replace("\r\n", "\n")
    return checked_text(field, text) or None


def read_compact(field: Any, raw: Any) -> str | None:
    """Identifiers are compared without spaces; personal codes keep their dash optional."""
    text = read_text(field, raw)
    return text.replace(" ", "").upper() if text else None


def read_number(field: Any, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise TypeError("a yes/no is not a number")
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise ValueError("not finite")
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        raise TooLarge(text)
    return value


def read_date(field: Any, raw: Any) -> datetime.date:
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    return datetime.date.fromisoformat(str(raw).strip())


def read_time(field: Any, raw: Any) -> datetime.time:
    """A time of day to the minute: `18:00` (or `18.00`). 24:00 is not a time of day."""
    if isinstance(raw, datetime.time):
        return raw.replace(second=0, microsecond=0)
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise TypeError("not a time")
    text = str(raw).strip()
    if isinstance(raw, int):      # YAML reads an unquoted 18:00 as 1080 minutes (base 60)
        if not 0 <= raw < 24 * 60:
            raise ValueError("not a time of day")
        return datetime.time(raw // 60, raw % 60)
    match = _TIME.fullmatch(text)
    if not match:
        raise ValueError("not a time of day")
    return datetime.time(int(match.group(1)), int(match.group(2)))


def read_datetime(field: Any, raw: Any) -> datetime.datetime:
    """A local (Latvian) date and time to the minute: `2027-06-23T18:00`, `2027-06-23 18:00`
    or `23.06.2027 18:00`."""
    if isinstance(raw, datetime.datetime):
        return raw.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(raw, bool) or not isinstance(raw, str):
        raise TypeError("not a date and time")
    day_text, _, time_text = raw.strip().replace("T", " ", 1).partition(" ")
    lv = _LV_DATE.fullmatch(day_text)
    day = datetime.date(int(lv.group(3)), int(lv.group(2)), int(lv.group(1))) if lv \
        else datetime.date.fromisoformat(day_text)
    return datetime.datetime.combine(day, read_time(field, time_text.strip()))


def read_bool(field: Any, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError("not yes or no")


def read_multi(field: Any, raw: Any) -> list[str] | None:
    items = raw if isinstance(raw, list) else [raw]
    chosen = [checked_text(field, str(item)) for item in items if item not in (None, "")]
    return list(dict.fromkeys(chosen)) or None


def to_json(value: Any) -> Any:
    """Typed values back to JSON-safe ones (for storage): dates, times and date-times ISO
    (to the minute), decimals as strings."""
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_json(item) for item in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, (datetime.date, Decimal)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return value
