"""Parsers for publisher settings (`contract.Setting.parse`): each takes the raw value
from the instance file or the environment and raises ValueError with a sentence."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def optional_url(value: Any) -> str | None:
    """An http(s) address, or nothing (the publisher is then off)."""
    text = str(value or "").strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an http:// or https:// address")
    return text.rstrip("/")


def optional_text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("must be text")
    return (value or "").strip() or None


def seconds(value: Any) -> float:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if not 0 < number <= 300:
        raise ValueError("must be more than 0 and at most 300 seconds")
    return number


def whole_number(value: Any, smallest: int, largest: int, unit: str = "") -> int:
    """A whole number from `smallest` to `largest` (not a yes/no); the runtime's limits are
    parsed with it too (the runtime may import the publishers, never the other way)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("must be a whole number") from None
    if not smallest <= number <= largest:
        raise ValueError(f"must be from {smallest} to {largest}{' ' + unit if unit else ''}")
    return number


def attempts(value: Any) -> int:
    return whole_number(value, 1, 100, "attempts")
