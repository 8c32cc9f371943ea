"""The function library: dates, Latvian working days, personal codes, lists, rounding."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from builder.expressions import EvaluationError, MissingValue, compile_expression, types as T

TODAY = dt.date(2026, 2, 1)
SCOPE = {"d": T.DATE, "e": T.DATE, "n": T.INT, "s": T.STRING, "xs": T.ListType(T.NUMBER),
         "table": T.MapType(T.STRING, T.NUMBER), "flags": T.ListType(T.BOOL)}


def ev(source: str, **variables):
    return compile_expression(source, SCOPE).evaluate(variables, TODAY)


def D(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_today_is_injected():
    assert ev("today()") == TODAY
    assert compile_expression("today()", {}).evaluate({}, D("2030-05-05")) == D("2030-05-05")


def test_date_parses_iso_only():
    assert ev("date('2024-02-29')") == D("2024-02-29")
    for bad in ("2023-02-29", "2024-2-1", "01.02.2024"):
        with pytest.raises(EvaluationError):
            ev("date(s)", s=bad)


@pytest.mark.parametrize("born, at, years", [
    ("2000-02-01", "2026-02-01", 26), ("2000-02-02", "2026-02-01", 25),
    ("2004-02-29", "2025-02-28", 21), ("2004-02-29", "2024-02-28", 19), ("2026-02-02", "2026-02-01", 0),
])
def test_age(born, at, years):
    assert ev("age(d, e)", d=D(born), e=D(at)) == years


def test_age_from_today():
    assert ev("age(d)", d=D("2000-02-01")) == 26


@pytest.mark.parametrize("a, b, months", [
    ("2026-01-31", "2026-02-28", 1), ("2026-01-31", "2026-02-27", 0), ("2026-01-15", "2026-02-14", 0),
    ("2026-01-15", "2026-02-15", 1), ("2024-01-31", "2024-02-29", 1), ("2025-08-01", "2026-02-01", 6),
    ("2026-02-28", "2026-01-31", -1), ("2026-03-01", "2026-01-15", -1), ("2026-01-01", "2026-01-01", 0),
])
def test_months_between(a, b, months):
    assert ev("months_between(d, e)", d=D(a), e=D(b)) == months


def test_days_and_date_add():
    assert ev("days_between(d, e)", d=D("2024-02-28"), e=D("2024-03-01")) == 2
    assert ev("days_between(d, e)", d=D("2025-02-28"), e=D("2025-03-01")) == 1
    assert ev("days_between(e, d)", d=D("2025-02-28"), e=D("2025-03-01")) == -1
    assert ev("date_add(d, 30)", d=D("2026-01-31")) == D("2026-03-02")
    assert ev("date_add(d, -1)", d=D("2026-01-01")) == D("2025-12-31")
    with pytest.raises(EvaluationError):
        ev("date_add(d, 10000000)", d=D("2026-01-01"))


@pytest.mark.parametrize("start, months, result", [
    ("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2026-03-31", -1, "2026-02-28"),
    ("2026-01-15", 12, "2027-01-15"), ("2026-05-31", 1, "2026-06-30"), ("2026-01-10", -13, "2024-12-10"),
])
def test_add_months_clamps_to_month_end(start, months, result):
    assert ev("add_months(d, n)", d=D(start), n=months) == D(result)


@pytest.mark.parametrize("a, b, days", [
    ("2026-04-30", "2026-05-05", 1),    # Fri 1 May and Mon 4 May are holidays: only Tue 5th
    ("2026-06-19", "2026-06-26", 2),    # Mon 22 (day off), Tue 23 Līgo, Wed 24 Jāņi; Thu, Fri count
    ("2026-11-16", "2026-11-20", 3),    # Wed 18 November is a holiday
    ("2026-02-02", "2026-02-09", 5),    # an ordinary week
    ("2026-02-06", "2026-02-08", 0),    # Friday to Sunday: only weekend days after Friday
    ("2026-02-09", "2026-02-02", -5),
    ("2026-02-02", "2026-02-02", 0),
])
def test_working_days_between(a, b, days):
    assert ev("working_days_between(d, e)", d=D(a), e=D(b)) == days


def test_working_days_between_agrees_with_stepping():
    start = D("2025-12-15")
    for length in range(0, 60):
        end = start + dt.timedelta(days=length)
        stepped = ev("working_days_add(d, n)", d=start, n=ev("working_days_between(d, e)", d=start, e=end))
        assert stepped <= end and ev("working_days_between(d, e)", d=stepped, e=end) == 0


@pytest.mark.parametrize("start, n, result", [
    ("2026-04-30", 1, "2026-05-05"), ("2026-06-19", 1, "2026-06-25"), ("2026-11-17", 1, "2026-11-19"),
    ("2026-02-06", 1, "2026-02-09"), ("2026-02-02", 0, "2026-02-02"), ("2026-05-05", -1, "2026-04-30"),
    ("2026-02-02", 10, "2026-02-16"),
])
def test_working_days_add(start, n, result):
    assert ev("working_days_add(d, n)", d=D(start), n=n) == D(result)


@pytest.mark.parametrize("code, born", [
    ("010190-15267", "1990-01-01"), ("31129912345", "1999-12-31"), ("290204-21234", "2004-02-29"),
    ("150550-01234", "1850-05-15"), ("321234-56789", None), ("310299-12345", None), ("12345", None),
    ("010190-35267", None), ("abcdef-12345", None),
])
def test_birth_date(code, born):
    assert ev("birth_date(s)", s=code) == (D(born) if born else None)


def test_sum_count_min_max():
    assert ev("sum([1, 2, 3])") == 6 and type(ev("sum([1, 2, 3])")) is int
    assert ev("sum(xs)", xs=[Decimal("0.1"), Decimal("0.2")]) == Decimal("0.3")
    assert ev("sum(xs)", xs=[]) == 0
    assert ev("count(flags)", flags=[True, False, True]) == 2
    assert ev("count(flags)", flags=[None, None]) == 0
    assert ev("count(xs)", xs=[1, 2, 3]) == 3
    assert ev("min(xs)", xs=[3, Decimal("1.5"), 2]) == Decimal("1.5")
    assert ev("max(xs)", xs=[3, Decimal("1.5"), 2]) == 3
    assert ev("max([date('2026-01-01'), date('2025-01-01')])") == D("2026-01-01")
    with pytest.raises(MissingValue):
        ev("min(xs)", xs=[])
    with pytest.raises(MissingValue):
        ev("sum(xs)", xs=[1, None])


@pytest.mark.parametrize("source, result", [
    ("round(2.345, 2)", "2.35"), ("round(2.5, 0)", "3"), ("round(-2.5, 0)", "-3"),
    ("round(1.005, 2)", "1.01"), ("round(12, 2)", "12.00"), ("round(1234.5, -2)", "1.2E+3"),
])
def test_round_half_up(source, result):
    assert ev(source) == Decimal(result)
    assert str(ev(source)) == result


def test_matches_and_lookup():
    assert ev("matches(s, '^[0-9]{15}$')", s="123456789012345") is True
    assert ev("matches(s, '[a-z]')", s="ABC") is False
    assert ev("lookup(table, 'oak')", table={"oak": Decimal("1.5")}) == Decimal("1.5")
    assert ev("lookup(table, 'elm')", table={"oak": Decimal("1.5")}) is None


def test_functions_need_their_values():
    with pytest.raises(MissingValue):
        ev("age(d)")
    with pytest.raises(MissingValue):
        ev("working_days_add(d, n)", d=D("2026-01-01"))
