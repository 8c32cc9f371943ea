"""The catalogue facts of `service:` that may come from the municipality's parameters:
`processing_days` (a whole number, or an expression over `param.*`) and `price`. They are
compiled once, like everything else, and evaluated per municipality (engine.facts)."""
from __future__ import annotations

from .expressions import types as T
from .model import Price
from .unit import Path, Unit

FACTS = ("service",)
FACT_NAMES = frozenset({"param", "municipality"})   # what the catalogue knows before anybody applies


def compile_processing_days(unit: Unit):
    """`processing_days` as an expression when it is one (a whole number stays a number)."""
    if not isinstance(unit.get(FACTS + ("processing_days",)), str):
        return None
    return _fact(unit, FACTS + ("processing_days",))


def compile_price(unit: Unit) -> Price | None:
    if unit.get(FACTS + ("price",)) is None:
        return None
    amount = _fact(unit, FACTS + ("price", "amount"))
    return Price(amount, unit.text(FACTS + ("price", "note"))) if amount is not None else None


def _fact(unit: Unit, path: Path):
    """A number from `param.*` and `municipality.*` only: an answer, a computed value or the
    signed-in person is unknown when the catalogue is shown (E414)."""
    expr = unit.expr(path, T.NUMBER)
    if expr is None:
        return None
    answers = sorted(expr.names - FACT_NAMES)
    if answers:
        unit.report("E414", f'{".".join(str(k) for k in path)} reads {", ".join(answers)}: the catalogue is '
                            f'shown before anybody applies, so it may use only param.<name> and '
                            f'municipality.<...> (e.g. "param.decision_days")', path)
        return None
    return expr
