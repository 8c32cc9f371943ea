"""The platform's limits and retention periods, as settings (`runtime.config` reads them
with the others, from the instance file, `PKIP_*` variables or `create_app`'s mapping):

| setting | default | what |
| --- | --- | --- |
| `rate_limits` | see `DEFAULT_RATES` | per client: `"signin=30/900, submit=off"` overrides some; `"off"` all |
| `max_draft_uploads` | 50 | files one draft may store (replaced ones count until clean-up) |
| `max_draft_upload_mb` | 100 | their total size |
| `resume_link_days` | 14 | a resume link works this long after it was made |
| `session_days` | 7 | a browser session ends after this long without a request |
| `keep_drafts_days` | 30 | `pkip cleanup` deletes drafts untouched this long, and their files |
| `keep_replaced_uploads_hours` | 24 | ... and files no draft or case refers to, this old |

These are the platform's defences, not municipal facts: the same for every municipality.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from publishers.settings import whole_number

from .cases.ratelimit import Limit

# kind -> at most this many per window, per client (an address, or a signed-in person)
DEFAULT_RATES: dict[str, Limit] = {
    "signin": Limit(30, 15 * 60),        # finished sign-ins and callbacks
    "submit": Limit(30, 60 * 60),        # submissions
    "resume": Limit(30, 15 * 60),        # resume links opened
    "upload_files": Limit(200, 60 * 60),
    "upload_bytes": Limit(500 * 1024 * 1024, 60 * 60),
    "api": Limit(1200, 60),              # API requests per token (a back office syncing, 20 a second)
    "api_anonymous": Limit(60, 60),      # API requests without a valid token, per address
}


@dataclass(frozen=True)
class Limits:
    rates: Mapping[str, Limit | None] = field(default_factory=lambda: dict(DEFAULT_RATES))
    max_draft_uploads: int = 50
    max_draft_upload_mb: int = 100
    resume_link_days: int = 14
    session_days: int = 7
    keep_drafts_days: int = 30
    keep_replaced_uploads_hours: int = 24

    def rate(self, kind: str) -> Limit | None:
        """The limit for `kind`, or None when it is turned off."""
        return self.rates.get(kind)


# setting -> (smallest, largest)
WHOLE_NUMBERS = {
    "max_draft_uploads": (1, 10_000),
    "max_draft_upload_mb": (1, 100_000),
    "resume_link_days": (1, 365),
    "session_days": (1, 90),
    "keep_drafts_days": (1, 3650),
    "keep_replaced_uploads_hours": (1, 24 * 365),
}


def parse_rates(value: Any) -> dict[str, Limit | None]:
    """`"off"`, or comma-separated `kind=count/seconds` or `kind=off` over the defaults."""
    if isinstance(value, Mapping):
        value = ",".join(f"{kind}={limit}" for kind, limit in value.items())
    if not isinstance(value, str):
        raise ValueError("must be text such as \"signin=30/900, submit=off\"")
    if value.strip().lower() == "off":
        return {kind: None for kind in DEFAULT_RATES}
    rates: dict[str, Limit | None] = dict(DEFAULT_RATES)
    for part in filter(None, (piece.strip() for piece in value.split(","))):
        kind, equals, limit = (text.strip() for text in part.partition("="))
        if not equals or kind not in DEFAULT_RATES:
            raise ValueError(f"names an unknown limit {kind!r} (known: {', '.join(DEFAULT_RATES)})")
        rates[kind] = None if limit.lower() == "off" else _limit(limit)
    return rates


def _limit(text: str) -> Limit:
    count, slash, seconds = text.partition("/")
    try:
        if slash:
            return Limit(int(count), int(seconds))
    except ValueError:
        pass
    raise ValueError(f"has {text!r} where count/seconds (e.g. 30/900) or off belongs")


def parse_whole_number(name: str):
    smallest, largest = WHOLE_NUMBERS[name]
    return lambda value: whole_number(value, smallest, largest)


PARSERS = {"rate_limits": parse_rates, **{name: parse_whole_number(name) for name in WHOLE_NUMBERS}}
DEFAULTS: dict[str, Any] = {"rate_limits": dict(DEFAULT_RATES),
                            **{name: getattr(Limits(), name) for name in WHOLE_NUMBERS}}


def limits_from(values: Mapping[str, Any]) -> Limits:
    return Limits(rates=values["rate_limits"], **{name: values[name] for name in WHOLE_NUMBERS})
