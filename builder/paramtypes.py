"""Municipality data with types beyond single values: lists of codes, value bands with
ascending thresholds, a date that recurs every year, and the declared column types of an
`options` list. Each kind is read from YAML here and checked for what its type alone
cannot say (bands in order, columns of their type), in the defaults and in every overlay."""
from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from .expressions import types as T
from .expressions.library import BAND_TYPE, band_value  # noqa: F401  (the band type and look-up live with band())

COLUMN_TYPES = {"boolean": T.BOOL, "number": T.NUMBER, "integer": T.INT, "text": T.STRING}
_YEARLY = re.compile(r"(\d{2})-(\d{2})")


@dataclass(frozen=True)
class YearlyDate:
    """A day of the year (1 March): in expressions, that day in the year of today()."""

    month: int
    day: int

    def in_year(self, year: int) -> datetime.date:
        """29 February is the 28th in a common year."""
        return datetime.date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def read_codes(raw: Any) -> tuple[str, ...] | None:
    """A list of codes: non-empty strings (numbers are codes too, as written)."""
    if not isinstance(raw, list) or any(isinstance(c, (bool, dict, list)) or c is None or str(c) == "" for c in raw):
        return None
    return tuple(str(code) for code in raw)


def read_bands(raw: Any) -> tuple[dict, ...] | None:
    """[{from: 0, value: "10.00"}, {from: 100, value: "25.00"}]: exact decimals."""
    if not isinstance(raw, list):
        return None
    bands = []
    for band in raw:
        if not isinstance(band, Mapping) or set(band) != {"from", "value"}:
            return None
        low, value = finite_decimal(band["from"]), finite_decimal(band["value"])
        if low is None or value is None:
            return None
        bands.append({"from": low, "value": value})
    return tuple(bands)


def read_yearly_date(raw: Any) -> YearlyDate | None:
    """`03-01` (month-day); a full date's year is not used."""
    if isinstance(raw, datetime.date):
        raw = raw.strftime("%m-%d")
    match = _YEARLY.fullmatch(str(raw)) if isinstance(raw, str) else None
    if match is None:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2024, month)[1]:   # 2024: 29 Feb exists
        return None
    return YearlyDate(month, day)


def band_problem(bands: tuple[dict, ...]) -> str | None:
    """Bands must have strictly ascending thresholds (each `from` above the one before)."""
    for before, after in zip(bands, bands[1:]):
        if after["from"] <= before["from"]:
            return (f"the bands' thresholds must go up: from {after['from']} comes after from {before['from']}; "
                    f"put the bands in ascending order of `from`")
    return None


def column_problem(options: tuple, columns: Mapping[str, str]) -> str | None:
    """Each option's extra column holds a value of the column's declared type (or none)."""
    for option in options:
        for column, kind in columns.items():
            value = option.extra.get(column)
            if value is not None and not _fits(value, kind):
                return (f'option "{option.value}": column `{column}` is {value!r}, not a {kind}'
                        + ('; write true or false without quotes' if kind == "boolean" else ""))
    return None


def column_types(columns: Mapping[str, str]) -> dict[str, T.Type]:
    return {name: COLUMN_TYPES[kind] for name, kind in columns.items() if kind in COLUMN_TYPES}


def _fits(value: Any, kind: str) -> bool:
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
    return isinstance(value, str)


def finite_decimal(raw: Any) -> Decimal | None:
    """A declared number as an exact decimal; None for a missing, boolean, malformed or
    infinite value (the schema and the checks report those)."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
