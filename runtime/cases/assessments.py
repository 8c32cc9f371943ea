"""Amounts staff set after the application (a service's `fees.assessed`, issue 14: the
tree felling compensation "calculated by the municipality").

While a case's stored fees list a fee `to_assess`, its fee is not settled
(`payments.NOT_ASSESSED`), so a step that `requires: [paid]` is refused. A member of staff
whose role the declaration's `by:` names (a clerk, by default) sets the amount (0 or more,
in cents) with a reason; in one transaction the fee becomes a line of the stored fees, the
case's total grows by it (so a bank statement line matches it and the applicant's page
shows it with the payment details), and the assessment is kept and audited (the amount,
never the reason). One per case and fee: two clerks at once set it once.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.exc import IntegrityError

from ..fees import with_assessed
from ..storage.database import Database
from ..storage.models import FeeAssessment, Submission
from ..versions import effective_for_case
from .access import Actor, may_move
from .audit import AuditContext, record
from .caseflow import MAX_TEXT, MISSING, NOT_ALLOWED, TOO_LONG, CaseActionRefused
from .clock import Clock
from .lookup import find_case

CENT = Decimal("0.01")
LIMIT = Decimal("10000000")
BAD_AMOUNT = "bad_amount"
NOT_TO_ASSESS = "not_to_assess"      # the case owes no such amount, or it is set already


def pending_fees(case: Submission) -> list[dict[str, Any]]:
    return list((case.fees or {}).get("to_assess") or ())


def may_assess(effective: Any, actor: Actor, case: Submission) -> bool:
    """Whether the actor may set one of the amounts the case still owes."""
    declared = {fee.id: fee for fee in effective.service.fees.assessed}
    return any(entry["id"] in declared and may_move(actor, case, declared[entry["id"]].by)
               for entry in pending_fees(case))


def parse_assessed(text: str) -> Decimal | None:
    """An amount in euros and cents, 0 or more (0: after all nothing is due)."""
    try:
        amount = Decimal((text or "").strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() and 0 <= amount < LIMIT and amount == amount.quantize(CENT) else None


def assess_fee(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
               municipality_id: str, reference: str, fee_id: str, amount_text: str, reason: str) -> None:
    amount, reason = parse_assessed(amount_text), (reason or "").strip()
    errors = {"assessed_amount": BAD_AMOUNT} if amount is None else {}
    if not reason:
        errors["assessed_reason"] = MISSING
    elif len(reason) > MAX_TEXT:
        errors["assessed_reason"] = TOO_LONG
    if errors:
        raise CaseActionRefused(errors)
    try:
        with database.transaction() as session:
            case, _service_id = find_case(session, actor, municipality_id, reference)
            effective = effective_for_case(catalogue, session, municipality_id, case.service_version_id)
            declared = next((fee for fee in effective.service.fees.assessed if fee.id == fee_id), None)
            if declared is None or fee_id not in {entry["id"] for entry in pending_fees(case)}:
                raise CaseActionRefused({"action": NOT_TO_ASSESS})
            if not may_move(actor, case, declared.by):
                raise CaseActionRefused({"action": NOT_ALLOWED})
            session.add(FeeAssessment(submission_id=case.id, fee_id=fee_id, amount=amount, reason=reason,
                                      assessed_by=actor.staff_user_id, assessed_at=clock.now()))
            session.flush()
            case.fees = with_assessed(case.fees, fee_id, amount)
            case.fee_total = (case.fee_total or Decimal("0.00")) + amount
            record(session, context, "fee.assess", municipality_id=municipality_id, object_type="case",
                   object_id=reference, fee=fee_id, amount=str(amount))
    except IntegrityError:          # another member of staff set it meanwhile
        raise CaseActionRefused({"action": NOT_TO_ASSESS}) from None
