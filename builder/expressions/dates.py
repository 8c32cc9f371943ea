"""Date functions of the expression library, including Latvian working days."""
from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from functools import lru_cache

import holidays

from .errors import EvaluationError
from ..identifiers import is_new_format, personal_code_digits

# Keeps one evaluation bounded: no service needs working days centuries apart.
MAX_WORKING_DAY_SPAN = 366 * 200
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OLD_PERSONAL_CODE = re.compile(r"(\d{2})(\d{2})(\d{2})-?([012])(\d{4})")


def parse_date(text: str) -> dt.date:
    if not _ISO_DATE.fullmatch(text):
        raise EvaluationError(f'"{text}" is not a date in the form YYYY-MM-DD.')
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EvaluationError(f'"{text}" is not a valid date.') from None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the end of a shorter month (Jan 31 + 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise EvaluationError("The resulting date is out of range.")
    last = _cal.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`; a month is complete when its day is reached."""
    if end < start:
        return -months_between(end, start)
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def age(birth: dt.date, at: dt.date) -> int:
    months = months_between(birth, at)
    return months // 12 if months >= 0 else -(-months // 12)


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def date_add(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        raise EvaluationError("The resulting date is out of range.") from None


@lru_cache(maxsize=256)
def _calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Latvian public holidays and transferred days off of one year, and the Saturdays
    made working days in exchange (a Cabinet order moves a working day to a Saturday when
    a holiday leaves one day between it and the weekend). Cached: slow to build."""
    calendar = holidays.country_holidays("LV", years=year)
    saturdays = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return frozenset(calendar.keys()), saturdays


def _holidays_in(year: int) -> frozenset[dt.date]:
    return _calendar(year)[0]


def _weekend_workdays_in(year: int) -> frozenset[dt.date]:
    return _calendar(year)[1]


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return day in _weekend_workdays_in(day.year)
    return day not in _holidays_in(day.year)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start)
    if (end - start).days > MAX_WORKING_DAY_SPAN:
        raise EvaluationError("The dates are too far apart to count working days.")
    full_weeks, rest = divmod((end - start).days, 7)
    count = full_weeks * 5
    for offset in range(1, rest + 1):  # the incomplete week after the full ones
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    for year in range(start.year, end.year + 1):
        count -= sum(1 for h in _holidays_in(year) if start < h <= end and h.weekday() < 5)
        count += sum(1 for w in _weekend_workdays_in(year) if start < w <= end)
    return count


def working_days_add(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (before it when negative)."""
    if abs(count) > MAX_WORKING_DAY_SPAN:
        raise EvaluationError("Too many working days to add.")
    step = dt.timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    year = None
    try:
        while remaining:
            day += step
            if day.year != year:       # `is_working_day` inlined, its year's calendar looked up once
                year = day.year
                holidays_in_year, saturdays = _calendar(year)
            if (day in saturdays) if day.weekday() >= 5 else (day not in holidays_in_year):
                remaining -= 1
    except OverflowError:
        raise EvaluationError("The resulting date is out of range.") from None
    return day


def birth_date(code: str) -> dt.date | None:
    """The birth date in an old-format personal code DDMMYY-CNNNN, else None.

    Codes issued since July 2017 (3, then 2-9) carry no date."""
    match = _OLD_PERSONAL_CODE.fullmatch(code.strip())
    if not match or is_new_format(personal_code_digits(code)):
        return None
    day, month, year, century = (int(g) for g in match.groups()[:4])
    try:
        return dt.date(1800 + century * 100 + year, month, day)
    except ValueError:
        return None
