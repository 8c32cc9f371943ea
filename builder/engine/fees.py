"""Fee arithmetic: exact decimals, rounded half-up to the cent at each step that a
person would see on a bill.

For each line (per repeat entry with `for_each`):
  gross     = round(quantity x unit amount)
  reduction = (its `when`, `percent` and `amount` see `line_amount`, the gross)
              per `combine`: best (the largest applicable one), sum (all, capped at
              gross), sequential (each applies to what the previous left)
              where a percent reduction is round(base x percent / 100); a negative
              percent or amount counts as 0 (a reduction never raises a line)
  net       = max(0, gross - reduction)
  vat       = round(net x vat_percent / 100)
  amount    = net + vat
An exempt line keeps its place with amount 0 and the exemption named. The total is the
sum of the line amounts. An amount staff set later (`fees.assessed`) is listed in
`to_assess` when its `when` holds, and counted nowhere until staff set it.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from ..expressions import EvaluationError
from ..expressions.hoisting import HOISTED
from ..model import FeeLine, Fees, Reduction, Text
from ..money import to_cents

ZERO = Decimal("0.00")


# Rounded to the cent by the one money rule (`builder.money`: half-up); the rule itself,
# not a function around it, since every fee line rounds several amounts.
cents = to_cents


@dataclass(frozen=True)
class AppliedReduction:
    id: str
    label: Text
    amount: Decimal


@dataclass(frozen=True)
class FeeLineResult:
    id: str
    label: Text
    item_index: int | None
    quantity: Decimal
    unit_amount: Decimal
    gross: Decimal
    reductions: tuple[AppliedReduction, ...]
    exemption: tuple[str, Text] | None
    vat: Decimal
    amount: Decimal
    reference: str | None
    item_title: str | None = None    # the entry's own name ("Reksis"), to name the line by it


@dataclass(frozen=True)
class FeeResult:
    currency: str
    lines: tuple[FeeLineResult, ...]
    total: Decimal
    reference: str | None
    due: datetime.date | None = None     # `fees.due` for these answers; None when nothing is due
    # amounts staff are still to set (`fees.assessed` whose `when` holds): not in `total`
    to_assess: tuple["FeeToAssess", ...] = ()


@dataclass(frozen=True)
class FeeToAssess:
    id: str
    label: Text
    reference: str | None


def entry_title(entry: Any) -> str | None:
    """What a repeat entry is called by the resident: its `name` answer, else the first
    answer whose field's name ends in `name` (`dog_name`), else None."""
    if not isinstance(entry, dict):
        return None
    names = ["name"] + sorted(key for key in entry if key.endswith("name") and key != "name")
    found = next((entry[key] for key in names if isinstance(entry.get(key), str) and entry[key].strip()), None)
    return found.strip() if found else None


class FeeCalculator:
    def __init__(self, fees: Fees, scope: dict, today, entries: Callable[[str], list]):
        self.fees, self.scope, self.today, self.entries = fees, scope, today, entries

    def calculate(self) -> FeeResult:
        exempt_all = self._first_exemption(self.fees.exemptions, self.scope)
        lines = [line for fee_line in self.fees.lines for line in self._lines(fee_line, exempt_all)]
        total = cents(sum((line.amount for line in lines), ZERO))
        to_assess = tuple(FeeToAssess(a.id, a.label, self._render(a.reference or self.fees.reference, self.scope))
                          for a in self.fees.assessed if a.when is None or a.when.holds(self.scope, self.today))
        return FeeResult(self.fees.currency, tuple(lines), total, self._render(self.fees.reference, self.scope),
                         self._due() if total > 0 else None, to_assess)

    def _due(self) -> datetime.date | None:
        if self.fees.due is None:
            return None
        return self.fees.due.value_or_none(self.scope, self.today)

    def _lines(self, line: FeeLine, exempt_all) -> list[FeeLineResult]:
        if line.for_each is None:
            targets = [(None, self.scope)]
        else:
            once: dict = {}     # the loop-invariant parts of the line, worked out once for all entries
            targets = [(i, {**self.scope, "item": entry, "index": i, HOISTED: once})
                       for i, entry in enumerate(self.entries(line.for_each))]
        results = []
        for index, scope in targets:
            if line.when is None or line.when.holds(scope, self.today):
                result = self._line(line, index, scope, exempt_all)
                if result is not None:
                    results.append(result)
        return results

    def _line(self, line: FeeLine, index: int | None, scope: dict, exempt_all) -> FeeLineResult | None:
        unit_amount = self._number(line.amount, scope)
        quantity = self._number(line.quantity, scope) if line.quantity is not None else Decimal(1)
        if unit_amount is None or quantity is None:
            return None            # an amount or quantity that needs a missing answer is not charged yet
        gross = cents(quantity * unit_amount)
        exemption = exempt_all or self._first_exemption(line.exemptions, scope)
        reductions = () if exemption else self._reductions(line, gross, scope)
        net = max(ZERO, gross - sum((r.amount for r in reductions), ZERO))
        vat_percent = self._number(line.vat_percent, scope) if line.vat_percent is not None else None
        vat = cents(net * vat_percent / 100) if vat_percent and not exemption else ZERO
        amount = ZERO if exemption else net + vat
        reference = self._render(line.reference or self.fees.reference, scope)
        return FeeLineResult(line.id, line.label, index, quantity, cents(unit_amount), gross, reductions,
                             exemption, vat if not exemption else ZERO, amount, reference,
                             entry_title(scope.get("item")) if index is not None else None)

    def _reductions(self, line: FeeLine, gross: Decimal, scope: dict) -> tuple[AppliedReduction, ...]:
        scope = {**scope, "line_amount": gross}          # what reductions see: the line's gross
        applicable = [r for r in line.reductions if r.when is None or r.when.holds(scope, self.today)]
        if line.combine == "sequential":
            applied, remaining = [], gross
            for reduction in applicable:
                amount = min(remaining, self._reduction_amount(reduction, remaining, scope))
                applied.append(AppliedReduction(reduction.id, reduction.label, amount))
                remaining -= amount
            return tuple(applied)
        applied = [AppliedReduction(r.id, r.label, min(gross, self._reduction_amount(r, gross, scope)))
                   for r in applicable]
        if line.combine == "best":
            return tuple(sorted(applied, key=lambda r: r.amount, reverse=True)[:1])
        return tuple(_capped(applied, gross))

    def _reduction_amount(self, reduction: Reduction, base: Decimal, scope: dict) -> Decimal:
        """The reduction's amount on `base`; a negative percent or amount counts as 0, since a
        reduction never raises a line (a constant negative one is a build error, E411)."""
        if reduction.percent is not None:
            percent = max(ZERO, self._number(reduction.percent, scope) or ZERO)
            return cents(base * percent / 100)
        return cents(max(ZERO, self._number(reduction.amount, scope) or ZERO))

    def _first_exemption(self, exemptions, scope: dict) -> tuple[str, Text] | None:
        for exemption in exemptions:
            if exemption.when is None or exemption.when.holds(scope, self.today):
                return exemption.id, exemption.label
        return None

    def _number(self, expr, scope: dict) -> Decimal | None:
        value = expr.value_or_none(scope, self.today)
        return Decimal(value) if value is not None else None

    def _render(self, template, scope: dict) -> str | None:
        if template is None:
            return None
        try:
            return " ".join(template.render(scope, self.today).split())
        except EvaluationError:
            return None


def _capped(applied: list[AppliedReduction], gross: Decimal) -> list[AppliedReduction]:
    """`sum`: all reductions apply, but together they never exceed the gross amount."""
    result, left = [], gross
    for reduction in applied:
        amount = min(left, reduction.amount)
        result.append(AppliedReduction(reduction.id, reduction.label, amount))
        left -= amount
    return result

