"""Fees as charged: the engine's `FeeResult` of the authoritative evaluation on submit,
stored with the submission (`submissions.fees`, JSON) and read back as the same type.

The confirmation page, the payment details and the application PDF show these stored
lines, never a fresh calculation: a municipality that changes its fee parameters, or
stops offering the service, does not change what a resident was asked to pay. Money is
kept as decimal strings, labels as their language maps. Submissions stored before the
column existed have no stored fees; for them `charged_fees` falls back to the
re-evaluated outcome.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from builder.engine import FeeLineResult, FeeResult
from builder.engine.fees import AppliedReduction, FeeToAssess
from builder.model import Text


def fees_to_json(fees: FeeResult) -> dict[str, Any]:
    return {
        "currency": fees.currency, "total": str(fees.total), "reference": fees.reference,
        "lines": [_line_to_json(line) for line in fees.lines],
        "to_assess": [{"id": fee.id, "label": _text_to_json(fee.label), "reference": fee.reference}
                      for fee in fees.to_assess],
        "due": fees.due.isoformat() if fees.due else None,
    }


def with_assessed(stored: dict[str, Any], fee_id: str, amount: Decimal) -> dict[str, Any]:
    """The stored fees once staff set the amount of `fee_id` (one of `to_assess`): it becomes
    a line of that amount, the total grows by it, and it is no longer to be assessed."""
    pending = next(entry for entry in stored["to_assess"] if entry["id"] == fee_id)
    line = FeeLineResult(id=fee_id, label=_text_from_json(pending["label"]), item_index=None, quantity=Decimal(1),
                         unit_amount=amount, gross=amount, reductions=(), exemption=None, vat=Decimal("0.00"),
                         amount=amount, reference=pending.get("reference"))
    return {**stored, "total": str(Decimal(stored["total"]) + amount),
            "lines": [*stored["lines"], _line_to_json(line)],
            "to_assess": [entry for entry in stored["to_assess"] if entry["id"] != fee_id]}


def _line_to_json(line: FeeLineResult) -> dict[str, Any]:
    return {
        "id": line.id, "label": _text_to_json(line.label), "item_index": line.item_index,
        "quantity": str(line.quantity), "unit_amount": str(line.unit_amount), "gross": str(line.gross),
        "reductions": [{"id": r.id, "label": _text_to_json(r.label), "amount": str(r.amount)}
                       for r in line.reductions],
        "exemption": [line.exemption[0], _text_to_json(line.exemption[1])] if line.exemption else None,
        "vat": str(line.vat), "amount": str(line.amount), "reference": line.reference,
        "item_title": line.item_title,
    }


def fees_from_json(stored: dict[str, Any]) -> FeeResult:
    return FeeResult(
        currency=stored["currency"], lines=tuple(_line_from_json(line) for line in stored["lines"]),
        total=Decimal(stored["total"]), reference=stored.get("reference"),
        to_assess=tuple(FeeToAssess(entry["id"], _text_from_json(entry["label"]), entry.get("reference"))
                        for entry in stored.get("to_assess", ())),
        due=date.fromisoformat(stored["due"]) if stored.get("due") else None,
    )


def _line_from_json(line: dict[str, Any]) -> FeeLineResult:
    exemption = line.get("exemption")
    return FeeLineResult(
        id=line["id"], label=_text_from_json(line["label"]), item_index=line.get("item_index"),
        quantity=Decimal(line["quantity"]), unit_amount=Decimal(line["unit_amount"]),
        gross=Decimal(line["gross"]),
        reductions=tuple(AppliedReduction(r["id"], _text_from_json(r["label"]), Decimal(r["amount"]))
                         for r in line.get("reductions", ())),
        exemption=(exemption[0], _text_from_json(exemption[1])) if exemption else None,
        vat=Decimal(line["vat"]), amount=Decimal(line["amount"]), reference=line.get("reference"),
        item_title=line.get("item_title"),
    )


def line_title(line: FeeLineResult, label: str) -> str:
    """A fee line as the resident reads it: "Nodeva par suni Reksis", naming the entry it
    is for; "Nodeva par suni (2)" for an entry without a name (and lines stored before
    entries were named)."""
    if line.item_index is None:
        return label
    return f"{label} {line.item_title}" if line.item_title else f"{label} ({line.item_index + 1})"


def _text_to_json(text: Any) -> dict[str, str] | None:
    return dict(text) if text is not None else None


def _text_from_json(stored: dict[str, str] | None) -> Text | None:
    return Text(stored) if stored is not None else None


def charged_fees(submission: Any, outcome: Any = None) -> FeeResult | None:
    """What the submission was charged: the stored lines, else (a submission from before
    they were stored) the fees of `outcome`, else None."""
    stored = getattr(submission, "fees", None)
    if stored:
        return fees_from_json(stored)
    return outcome.fees if outcome is not None else None
