"""The one rounding rule for money (builder/money.py, docs/language.md "Money and
rounding"): to the cent, half away from zero, in every place that rounds: the rule
itself, money parameters, fee lines (test_fees.py), round() and the 28th digit of decimal
arithmetic; amounts as shown in tests/runtime/test_i18n.py."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from builder.compile_logic import coerce_parameter
from builder.expressions import compile_expression, types as T
from builder.money import to_cents

TODAY = dt.date(2026, 2, 1)
# (amount, rounded): ties go away from zero; half-even would differ on every second row
BOUNDARIES = [("0.005", "0.01"), ("0.015", "0.02"), ("0.025", "0.03"), ("2.675", "2.68"), ("0.0049999", "0.00"),
              ("-0.005", "-0.01"), ("-0.025", "-0.03"), ("10.125", "10.13"), ("0.995", "1.00"),
              ("999999999999999.995", "1000000000000000.00"), ("7", "7.00")]


@pytest.mark.parametrize("amount, rounded", BOUNDARIES)
def test_the_rule_rounds_half_away_from_zero(amount, rounded):
    assert str(to_cents(Decimal(amount))) == rounded


@pytest.mark.parametrize("amount, rounded", [("0.025", "0.03"), ("10.005", "10.01"), ("2.665", "2.67")])
def test_money_parameters_round_by_the_rule(amount, rounded):
    assert coerce_parameter("money", amount) == Decimal(rounded)


@pytest.mark.parametrize("source, expected", [("round(0.125, 2)", "0.13"), ("round(0.025, 2)", "0.03"),
                                              ("round(-2.5, 0)", "-3"), ("round(2.5, 0)", "3")])
def test_round_in_expressions_follows_the_rule(source, expected):
    assert compile_expression(source, {}).evaluate({}, TODAY) == Decimal(expected)


def test_decimal_arithmetic_rounds_its_last_digit_by_the_rule():
    # 1 + 5e-28 has 29 significant digits: the 28-digit context must round the tie up
    total = compile_expression("a + b", {"a": T.NUMBER, "b": T.NUMBER}).evaluate(
        {"a": Decimal("1"), "b": Decimal("5E-28")}, TODAY)
    assert total == Decimal("1.000000000000000000000000001")



def _in_a_local_context(value) -> Decimal:
    """The rule as it was written before the context was kept: a local context per rounding."""
    from decimal import ROUND_HALF_UP, localcontext
    with localcontext() as context:
        context.prec = 60
        return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_the_kept_context_rounds_as_a_local_one():
    """`to_cents` with its kept wide context: the value, sign and exponent of a local
    context's rounding for halves, long fractions, huge amounts, negatives, ints and text."""
    import random
    numbers = random.Random(11)
    values = ["0.005", "-0.005", "0.015", "-2.675", "1E+20", "123456789012345.675", "-0", "0E-30", 7, -3, "5.5"]
    values += [Decimal(numbers.randrange(-10**20, 10**20)).scaleb(-numbers.randrange(0, 30)) for _ in range(3000)]
    for value in values:
        kept, local = to_cents(value), _in_a_local_context(value)
        assert (kept, str(kept)) == (local, str(local)), value
