"""Waiving a case's fee: a clerk of the case's institution waives what is due, with a
reason (the last bit of issue 14 part 7). Audited; one waiver per case (a unique row), so
two clerks at once waive it once. A waived case counts as paid for a process step that
`requires: [paid]`; what was received stays recorded as it was.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import FeeWaiver, Submission
from .access import WAIVE_FEE, Actor, may_act
from .audit import AuditContext, record
from .caseflow import MAX_TEXT, MISSING, NOT_ALLOWED, TOO_LONG, CaseActionRefused
from .clock import Clock
from .lookup import find_case
from .payments import SETTLED, case_payment_state

ALREADY_SETTLED = "already_settled"    # nothing left to waive: paid in full, waived, or no fee


def waiver_of(session: Session, case: Submission) -> FeeWaiver | None:
    return session.scalars(select(FeeWaiver).where(FeeWaiver.submission_id == case.id)).first()


def waive_fee(database: Database, actor: Actor, clock: Clock, context: AuditContext, municipality_id: str,
              reference: str, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionRefused({"waiver_reason": MISSING})
    if len(reason) > MAX_TEXT:
        raise CaseActionRefused({"waiver_reason": TOO_LONG})
    try:
        with database.transaction() as session:
            case, _service_id = find_case(session, actor, municipality_id, reference)
            if not may_act(actor, case, WAIVE_FEE):
                raise CaseActionRefused({"action": NOT_ALLOWED})
            if case_payment_state(session, case) in SETTLED:
                raise CaseActionRefused({"action": ALREADY_SETTLED})
            session.add(FeeWaiver(submission_id=case.id, reason=reason, waived_by=actor.staff_user_id,
                                  waived_at=clock.now()))
            session.flush()
            record(session, context, "fee.waive", municipality_id=municipality_id, object_type="case",
                   object_id=reference, amount=str(case.fee_total))
    except IntegrityError:      # another clerk waived it meanwhile
        raise CaseActionRefused({"action": ALREADY_SETTLED}) from None


def may_waive(session: Session, actor: Actor, case: Submission) -> bool:
    """Whether the case file offers this actor the waiver form."""
    return may_act(actor, case, WAIVE_FEE) and case_payment_state(session, case) not in SETTLED
