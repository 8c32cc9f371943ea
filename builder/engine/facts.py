"""The catalogue facts of a service as one municipality offers it: its processing time
and its price, from that municipality's parameters when the definition says so
(`processing_days: param.decision_days`, `price: {amount: param.annual_fee}`)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..expressions import EvaluationError
from ..model import Text
from ..money import to_cents
from ..overlay import EffectiveService
from .evaluation import shared_constants, whole_days


@dataclass(frozen=True)
class Facts:
    processing_days: int | None      # working days; None: not stated
    price: Decimal | None            # euro; None: not stated; 0: free of charge
    price_note: Text | None = None


def catalogue_facts(effective: EffectiveService, today: datetime.date, language: str = "lv") -> Facts:
    service = effective.service
    days = service.processing_days
    if service.processing_days_expr is not None:
        days = whole_days(_value(service.processing_days_expr, effective, today, language))
        days = days if days is None or days >= 0 else None
    price = None
    if service.price is not None:
        amount = _value(service.price.amount, effective, today, language)
        price = to_cents(Decimal(amount)) if _is_number(amount) and amount >= 0 else None
    return Facts(days, price, service.price.note if service.price is not None else None)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _value(expr, effective: EffectiveService, today: datetime.date, language: str) -> Any:
    try:
        return expr.evaluate(shared_constants(effective, today, language), today)
    except EvaluationError:
        return None
