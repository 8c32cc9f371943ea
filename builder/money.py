"""The one rounding rule for money: to the cent, half away from zero ("half-up":
0.005 -> 0.01, 0.025 -> 0.03, -0.005 -> -0.01), the commercial rule Latvian invoices and
the EN 16931 schematron use. Fee lines, money parameters and `round()` all round this way,
and exact-decimal arithmetic rounds its 28th significant digit the same way, so no two
parts of a service can disagree about a cent (docs/language.md, "Money and rounding")."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

MONEY_ROUNDING = ROUND_HALF_UP
CENT = Decimal("0.01")


# Kept, not opened per rounding (`localcontext()` costs a few calls, and an evaluation
# rounds every fee line): quantize reads only its precision, rounding, traps and exponent
# limits, the default context's but for the precision. tests/builder/test_money_rounding.py
# compares it with a local context's rounding.
WIDE = Context(prec=60, rounding=MONEY_ROUNDING)


def to_cents(value: Decimal | int | str) -> Decimal:
    """`value` rounded to the cent by the one rule. The wide context keeps quantize exact
    for any amount that answers (at most 15 integer digits) and parameters can produce."""
    return Decimal(value).quantize(CENT, context=WIDE)
