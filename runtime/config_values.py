"""How one setting is read: each parser takes the raw value (text from the environment,
or a TOML value) and returns it typed, or raises ValueError saying what belongs there;
`config` names the setting and where it came from. `ConfigError` and `env_name` live
here so that `config_signin` can use them without importing `config`."""
from __future__ import annotations

from typing import Any

ENVIRONMENTS = ("development", "production", "testing")


class ConfigError(Exception):
    """A setting is missing, malformed or contradicts another one."""


def env_name(setting: str) -> str:
    return f"PKIP_{setting.upper()}"


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("must be true or false (1/0, yes/no, on/off)")


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be a whole number")
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError("must be a whole number") from None


def parse_seconds(value: Any) -> float:
    try:
        seconds = float(str(value).strip())
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if not 0 < seconds <= 120:
        raise ValueError("must be more than 0 and at most 120 seconds")
    return seconds


def parse_interval(value: Any) -> float:
    """Seconds between checks, 0 (never) to an hour."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        raise ValueError("must be a number of seconds") from None
    if not 0 <= seconds <= 3600:
        raise ValueError("must be from 0 (never) to 3600 seconds")
    return seconds


def parse_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value.strip()


def parse_optional_text(value: Any) -> str | None:
    return parse_text(value) or None


def parse_languages(value: Any) -> tuple[str, ...]:
    """"lv,en,uk" (the environment) or ["lv", "en", "uk"] (the instance file)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(item, str) for item in items):
        raise ValueError("must be language codes, e.g. \"lv,en,uk\"")
    return tuple(item.strip().lower() for item in items if item.strip())


def parse_env(value: Any) -> str:
    text = parse_text(value)
    if text not in ENVIRONMENTS:
        raise ValueError(f"must be one of {', '.join(ENVIRONMENTS)}")
    return text
