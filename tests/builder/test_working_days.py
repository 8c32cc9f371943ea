"""Deadlines in Latvian working days: weekends, public holidays (18 November, Midsummer,
Christmas, Easter) and transferred working days (a Saturday that is worked, and the
weekday off in exchange), as the `holidays` package publishes the Cabinet's orders."""
from __future__ import annotations

from datetime import date

import pytest

from builder.expressions.dates import is_working_day, working_days_add, working_days_between


@pytest.mark.parametrize("start, days, due", [
    (date(2026, 12, 4), 1, date(2026, 12, 7)),      # Friday + 1: over the weekend to Monday
    (date(2026, 11, 17), 1, date(2026, 11, 19)),    # 18 Nov (Wednesday 2026) is a holiday
    (date(2026, 6, 19), 1, date(2026, 6, 25)),      # 22 Jun transferred off, 23-24 Jun Līgo and Jāņi
    (date(2026, 12, 23), 1, date(2026, 12, 28)),    # 24, 25, 26 Dec; then the weekend
    (date(2026, 12, 30), 2, date(2027, 1, 5)),      # 31 Dec and 1 Jan are holidays; over the year end
    (date(2026, 4, 2), 1, date(2026, 4, 7)),        # Good Friday 3 Apr, Easter Monday 6 Apr 2026
    (date(2025, 5, 9), 1, date(2025, 5, 10)),       # Saturday 10 May 2025 was a working day
    (date(2025, 4, 30), 1, date(2025, 5, 6)),       # 1 May, 2 May transferred off, 4 May a Sunday: 5 May off
])
def test_due_dates(start, days, due):
    assert working_days_add(start, days) == due
    assert working_days_between(start, due) == days


def test_transferred_days_both_ways():
    assert is_working_day(date(2025, 5, 10))          # a Saturday worked ...
    assert not is_working_day(date(2025, 5, 2))       # ... for the Friday off
    assert not is_working_day(date(2026, 6, 22))      # Monday before Midsummer, off
    assert is_working_day(date(2026, 6, 27))          # the Saturday worked for it
    assert not is_working_day(date(2026, 11, 18))
    assert not is_working_day(date(2026, 5, 9))       # an ordinary Saturday


def test_counting_matches_stepping_across_a_year_with_transfers():
    start = date(2025, 1, 1)
    for offset in range(0, 400, 7):
        end = working_days_add(start, offset)
        assert working_days_between(start, end) == offset


def _stepping(day: date, count: int) -> date:
    """`working_days_add` as `is_working_day` day by day."""
    from datetime import timedelta
    step, remaining = timedelta(days=1 if count >= 0 else -1), abs(count)
    while remaining:
        day += step
        remaining -= is_working_day(day)
    return day


@pytest.mark.parametrize("count", [0, 1, 5, 10, 30, 260, -1, -10, -260])
def test_adding_working_days_is_stepping_by_is_working_day(count):
    """The loop with the calendar looked up once a year: `is_working_day`'s days, across
    year ends, holidays and transferred Saturdays, forwards and backwards."""
    from datetime import timedelta
    starts = [date(2018, 1, 1) + timedelta(days=offset) for offset in range(0, 3700, 17)]
    starts += [date(2024, 12, 20) + timedelta(days=offset) for offset in range(20)]
    assert [working_days_add(day, count) for day in starts] == [_stepping(day, count) for day in starts]
