"""The catalogue facts of `service:` that may come from the municipality's parameters:
`processing_days` (a whole number, or an expression over `param.*`) and `price`. They are
compiled once, like everything else, and evaluated per municipality (engine.facts).
And whom the application is for: `subject`, the personal_code field that a service for a
child (`audience: [..., child]`) must name."""
from __future__ import annotations

from typing import Mapping

from .expressions import types as T
from .model import Field, Price
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


CHILD_AUDIENCE = "child"


def compile_subject(unit: Unit, index: Mapping[str, Field]) -> str | None:
    """The `subject` field's path: a personal_code field outside any repeat (one person per
    application), required when the audience includes `child` (E415); a name that is no
    field is E402."""
    path = FACTS + ("subject",)
    subject = unit.get(path)
    for_child = CHILD_AUDIENCE in (unit.get(FACTS + ("audience",)) or ())
    if subject is None:
        if for_child:
            unit.report("E415", "audience includes child, so service.subject must name the child's personal_code "
                                'field (e.g. "child.personal_code")', FACTS + ("audience",))
        return None
    field = index.get(subject)
    if field is None:
        unit.report("E402", f'service.subject names field "{subject}", which does not exist', path)
        return None
    if field.type != "personal_code" or "[" in subject or _in_repeat(subject, index):
        unit.report("E415", f'service.subject "{subject}" is a {field.type} field; it must be one personal_code '
                            "field, not inside a repeat", path)
        return None
    return subject


def _in_repeat(path: str, index: Mapping[str, Field]) -> bool:
    parts = path.split(".")
    return any(getattr(index.get(".".join(parts[:end])), "type", None) == "repeat" for end in range(1, len(parts)))
