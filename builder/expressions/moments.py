"""Date-time and time-of-day functions: local (Latvian) wall-clock values to the minute.

A `datetime` is a date and a time with no zone: an event "from 2027-06-23 18:00 to 02:00
the next day" is two datetimes, and `hours_between` of them is 8. A `time` is a time of
day; `hours_between` of two times counts forward from the first to the second, past
midnight when the second is earlier (18:00 to 02:00 is 8 hours), so it is never negative.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .errors import EvaluationError
from .values import CONTEXT

_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})")
MINUTES_PER_DAY = 24 * 60


def parse_time(text: str) -> dt.time:
    match = _TIME.fullmatch(text)
    if not match:
        raise EvaluationError(f'"{text}" is not a time of day in the form HH:MM (00:00 to 23:59).')
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_datetime(text: str) -> dt.datetime:
    match = _DATETIME.fullmatch(text)
    if not match:
        raise EvaluationError(f'"{text}" is not a date and time in the form YYYY-MM-DDTHH:MM.')
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise EvaluationError(f'"{text}" is not a valid date.') from None
    return dt.datetime.combine(day, parse_time(match.group(2)))


def combine(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time)


def minutes_between(start: dt.datetime | dt.time, end: dt.datetime | dt.time) -> int:
    """Whole minutes from `start` to `end`; for times of day, forward past midnight."""
    if isinstance(start, dt.datetime):
        return int((end - start).total_seconds() // 60)
    return (_minute_of_day(end) - _minute_of_day(start)) % MINUTES_PER_DAY


def hours_between(start: dt.datetime | dt.time, end: dt.datetime | dt.time) -> int | Decimal:
    """Hours from `start` to `end`: whole hours as an int, else an exact decimal (90 min = 1.5)."""
    minutes = minutes_between(start, end)
    if minutes % 60 == 0:
        return minutes // 60
    return CONTEXT.divide(Decimal(minutes), Decimal(60))


def add_minutes(moment: dt.datetime, minutes: int) -> dt.datetime:
    try:
        return moment + dt.timedelta(minutes=minutes)
    except OverflowError:
        raise EvaluationError("The resulting date and time is out of range.") from None


def _minute_of_day(time: dt.time) -> int:
    return time.hour * 60 + time.minute
