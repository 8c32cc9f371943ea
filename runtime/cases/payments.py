"""Payments of a case's fees: recorded by hand by a clerk, or imported from a bank
statement (camt.053) by a finance user and matched to cases.

A statement line is matched to a case of the municipality when its remittance text holds
the case reference or the payment reference the service declared (as charged, in
`submissions.fees`), compared without case and spacing. A matched line is a payment of
that case; what it leaves of the fee decides the outcome (paid, partly paid, overpaid). A
line without a match is kept as unmatched for a person to resolve. Each line's bank key is
unique in `payments`, so a statement imported twice pays nothing twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import FeeWaiver, Payment, Submission
from .access import FINANCE, RECORD_PAYMENT, Actor, may_act
from .audit import AuditContext, record
from .camt053 import StatementLine, parse_statement
from .lookup import CaseNotFound, find_case
from .clock import Clock

PAID, PARTLY_PAID, OVERPAID, UNPAID, NOTHING_DUE = "paid", "partly_paid", "overpaid", "unpaid", "nothing_due"
WAIVED = "waived"       # a clerk waived what was due (`cases.waivers`)
NOT_ASSESSED = "not_assessed"   # an amount staff set (`fees.assessed`) is not set yet (`cases.assessments`)
SETTLED = frozenset({PAID, OVERPAID, NOTHING_DUE, WAIVED})    # a step that `requires: [paid]` may be made
UNMATCHED = "unmatched"
MANUAL, STATEMENT = "manual", "camt053"
CENT = Decimal("0.01")


class PaymentRefused(ValueError):
    """`errors` maps a field to a message code (as `caseflow.CaseActionRefused`)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class ImportReport:
    statement_id: str
    by_outcome: dict[str, list[str]] = field(default_factory=dict)   # outcome -> references (or line keys)
    duplicates: int = 0

    def add(self, outcome: str, what: str) -> None:
        self.by_outcome.setdefault(outcome, []).append(what)


def paid_total(session: Session, submission_id: int) -> Decimal:
    return session.scalar(select(func.coalesce(func.sum(Payment.amount), 0))
                          .where(Payment.submission_id == submission_id)) or Decimal("0.00")


def payment_state(due: Decimal | None, paid: Decimal, waived: bool = False, to_assess: bool = False) -> str:
    """What is paid of `due`; while an amount is still to be assessed the fee is not
    settled (unless waived), whatever was paid of the rest."""
    due = due or Decimal("0.00")
    if to_assess:
        return WAIVED if waived else NOT_ASSESSED
    if due <= 0:
        return NOTHING_DUE
    if waived and paid < due:
        return WAIVED
    if paid <= 0:
        return UNPAID
    return PAID if paid == due else (OVERPAID if paid > due else PARTLY_PAID)


def case_payment_state(session: Session, case: Submission) -> str:
    return payment_state(case.fee_total, paid_total(session, case.id), is_waived(session, case.id),
                         awaits_assessment(case))


def awaits_assessment(case: Any) -> bool:
    """Whether the case owes an amount staff have not set yet (its stored `to_assess`)."""
    return bool((getattr(case, "fees", None) or {}).get("to_assess"))


def is_waived(session: Session, submission_id: int) -> bool:
    return session.scalar(select(FeeWaiver.id).where(FeeWaiver.submission_id == submission_id)) is not None


def parse_amount(text: str) -> Decimal | None:
    try:
        amount = Decimal((text or "").strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None
    return amount if amount > 0 and amount == amount.quantize(CENT) and amount < Decimal("10000000") else None


def record_payment(database: Database, actor: Actor, clock: Clock, context: AuditContext, municipality_id: str,
                   reference: str, amount_text: str, paid_on_text: str, note: str) -> str:
    """A payment a clerk saw (a receipt, a cash desk): the case's payment state after it."""
    amount = parse_amount(amount_text)
    errors = {"amount": "bad_amount"} if amount is None else {}
    try:
        paid_on = date.fromisoformat(paid_on_text.strip()) if paid_on_text.strip() else clock.today()
    except ValueError:
        errors["paid_on"] = "bad_date"
    if errors:
        raise PaymentRefused(errors)
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        if not may_act(actor, case, RECORD_PAYMENT):
            raise PaymentRefused({"action": "not_allowed"})
        session.add(Payment(municipality_id=municipality_id, submission_id=case.id, amount=amount, currency="EUR",
                            paid_on=paid_on, source=MANUAL, remittance=(note or "").strip()[:1000],
                            recorded_by=actor.staff_user_id, recorded_at=clock.now()))
        session.flush()
        state = case_payment_state(session, case)
        record(session, context, "payment.record", municipality_id=municipality_id, object_type="case",
               object_id=reference, amount=str(amount), state=state)
        return state


def may_import(actor: Actor, municipality_id: str) -> bool:
    return any(role.kind == FINANCE and role.municipality_id == municipality_id for role in actor.roles)


def import_statement(database: Database, actor: Actor, clock: Clock, context: AuditContext, municipality_id: str,
                     data: bytes) -> ImportReport:
    """Match every booked credit of the statement to a case of the municipality."""
    if not may_import(actor, municipality_id):
        raise CaseNotFound(municipality_id)
    statement = parse_statement(data)
    report = ImportReport(statement.id)
    with database.transaction() as session:
        cases = _payable_cases(session, municipality_id)
        for line in statement.lines:
            if session.scalar(select(Payment.id).where(Payment.entry_key == _key(statement.iban, line))):
                report.duplicates += 1
                continue
            case = _match(line, cases)
            outcome = _pay(session, municipality_id, statement.iban, line, case, actor, clock)
            report.add(outcome, case.reference if case is not None else f"{line.amount} {line.remittance[:60]}")
        record(session, context, "payment.import", municipality_id=municipality_id, object_type="statement",
               object_id=statement.id[:100], lines=len(statement.lines), duplicates=report.duplicates,
               **{name: len(found) for name, found in report.by_outcome.items()})
    return report


def _key(iban: str, line: StatementLine) -> str:
    return f"{iban}:{line.key}"[:200]


def _pay(session: Session, municipality_id: str, iban: str, line: StatementLine, case: Submission | None,
         actor: Actor, clock: Clock) -> str:
    session.add(Payment(municipality_id=municipality_id, submission_id=case.id if case is not None else None,
                        amount=line.amount, currency=line.currency or "EUR", paid_on=line.booked_on or clock.today(),
                        source=STATEMENT, entry_key=_key(iban, line), remittance=line.remittance,
                        debtor=line.debtor, recorded_by=actor.staff_user_id, recorded_at=clock.now()))
    session.flush()
    return case_payment_state(session, case) if case is not None else UNMATCHED


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text or "").casefold()


def _payable_cases(session: Session, municipality_id: str) -> list[Submission]:
    return list(session.scalars(select(Submission).where(Submission.municipality_id == municipality_id,
                                                         Submission.fee_total > 0)))


def _match(line: StatementLine, cases: list[Submission]) -> Submission | None:
    remittance = _normal(line.remittance)
    if not remittance:
        return None
    for case in cases:
        declared = _normal((case.fees or {}).get("reference") or "")
        if _normal(case.reference) in remittance or (declared and declared in remittance):
            return case
    return None


def unmatched_payments(database: Database, actor: Actor, municipality_id: str) -> list[Payment]:
    if not may_import(actor, municipality_id):
        raise CaseNotFound(municipality_id)
    with database.transaction() as session:
        found = list(session.scalars(select(Payment).where(Payment.municipality_id == municipality_id,
                                                           Payment.submission_id.is_(None))
                                     .order_by(Payment.paid_on.desc(), Payment.id.desc()).limit(500)))
        session.expunge_all()
        return found


def payment_lines(session: Session, case: Submission) -> list[Any]:
    return list(session.scalars(select(Payment).where(Payment.submission_id == case.id).order_by(Payment.paid_on)))
