"""What a member of staff does to a case: move it through its service's process, add a
note, assign it to a colleague. One shape each (after CKAN's actions): find the case the
actor may see, check what the action needs, change, record the history and the audit
entry, all in one transaction; anything refused raises `CaseActionRefused` with one
message code per field, which the view turns into words.

A process step is made only when the service declares it from the case's current
status, only by a role its `by:` names (`access.may_move`), and only with what its
`requires:` asks for. The status changes by one conditional UPDATE, so two clerks
pressing at once move the case once. A queue service's queue follows in the same
transaction (`queue.on_status_change`), and so do the
institution's webhooks (`webhooks.announce`).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..queue import on_status_change
from ..storage.database import Database
from ..storage.models import CaseHistoryEntry, CaseNote, Submission
from ..versions import effective_for_case
from .access import ASSIGN, NOTE, Actor, may_act, may_move
from .audit import AuditContext, record
from .lookup import find_case
from .notify import DECISION as DECISION_MADE, notify_applicant
from .clock import Clock
from .events import announce_status
from .payments import NOT_ASSESSED as FEE_NOT_ASSESSED, SETTLED, case_payment_state
from .results import enqueue_result, result_of_state
from .staff_accounts import colleagues
from .webhooks import CASE_TRANSITIONED, announce

MAX_TEXT = 5000
REASON, DECISION, DATE, PAID_FIRST = "reason", "decision", "date", "paid"

# message codes (the web layer words them)
NOT_DECLARED = "not_declared"        # no such step from the case's status
NOT_YOUR_ROLE = "not_your_role"      # the service gives the step to other roles
MISSING = "missing"                  # a required input is empty
BAD_DATE = "bad_date"
TOO_LONG = "too_long"
MOVED_MEANWHILE = "moved_meanwhile"  # someone else moved the case first
NOT_A_COLLEAGUE = "not_a_colleague"
NOT_ALLOWED = "not_allowed"
NOT_PAID = "not_paid"                # the step needs the fee paid first
NOT_ASSESSED = "not_assessed"        # ... and an amount staff set is not set yet


class CaseActionRefused(Exception):
    """The action was not done; `errors` maps a field (or "action") to a message code."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def move_case(database: Database, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
              municipality_id: str, reference: str, target: str, inputs: dict[str, str]) -> str:
    """Make the declared step from the case's status to `target`; the new status."""
    with database.transaction() as session:
        return make_step(session, catalogue, actor, clock, context, municipality_id, reference, target, inputs)


def make_step(session: Session, catalogue: Any, actor: Actor, clock: Clock, context: AuditContext,
              municipality_id: str, reference: str, target: str, inputs: dict[str, str]) -> str:
    """`move_case` in the caller's transaction (a commission's decision records its
    outcome in the same one)."""
    case, service_id = find_case(session, actor, municipality_id, reference)
    effective = effective_for_case(catalogue, session, municipality_id, case.service_version_id)
    process = effective.service.process
    declared = [t for t in process.transitions_from(case.status) if t.target == target] if process else []
    if not declared:
        raise CaseActionRefused({"action": NOT_DECLARED})
    # a service may declare the same step twice for different roles: the actor's is made
    step = next((t for t in declared if may_move(actor, case, t.by)), None)
    if step is None:
        raise CaseActionRefused({"action": NOT_YOUR_ROLE})
    given = _required_inputs(tuple(n for n in step.requires if n != PAID_FIRST), inputs)
    if PAID_FIRST in step.requires and (paid := case_payment_state(session, case)) not in SETTLED:
        raise CaseActionRefused({"action": NOT_ASSESSED if paid == FEE_NOT_ASSESSED else NOT_PAID})
    change_status(session, case, target)
    entry = CaseHistoryEntry(submission_id=case.id, from_status=step.source, to_status=target,
                             at=clock.now(), actor=actor.label(), note=_history_note(given))
    session.add(entry)
    announce_status(session, case, entry)
    on_status_change(session, case, catalogue=catalogue)
    document = result_of_state(effective.service, target)
    if document is not None:
        enqueue_result(session, case, document, decision=given.get(DECISION), decided_on=clock.today())
    if process.states[target].final:
        notify_applicant(session, case, DECISION_MADE, status=target)
    announce(session, case, service_id, CASE_TRANSITIONED, clock.now(), from_status=step.source)
    record(session, context, "case.transition", municipality_id=municipality_id, object_type="case",
           object_id=reference, source=step.source, target=target)
    return target


def _required_inputs(requires: tuple[str, ...], inputs: dict[str, str]) -> dict[str, str]:
    errors, given = {}, {}
    for name in requires:
        value = (inputs.get(name) or "").strip()
        if not value:
            errors[name] = MISSING
        elif len(value) > MAX_TEXT:
            errors[name] = TOO_LONG
        elif name == DATE and not _is_date(value):
            errors[name] = BAD_DATE
        else:
            given[name] = value
    if errors:
        raise CaseActionRefused(errors)
    return given


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _history_note(given: dict[str, str]) -> str | None:
    """Reason, decision and date as the history keeps them (the applicant may see them)."""
    return "\n".join(f"{name}: {given[name]}" for name in (REASON, DECISION, DATE) if name in given) or None


def change_status(session: Session, case: Submission, target: str) -> None:
    """One conditional UPDATE: only from the status read, so two people at once move it once."""
    changed = session.execute(update(Submission).where(Submission.id == case.id, Submission.status == case.status)
                              .values(status=target).execution_options(synchronize_session=False)).rowcount
    if changed != 1:
        raise CaseActionRefused({"action": MOVED_MEANWHILE})
    case.status = target


def add_note(database: Database, actor: Actor, clock: Clock, context: AuditContext, municipality_id: str,
             reference: str, text: str, visible_to_applicant: bool) -> None:
    text = (text or "").strip()
    if not text:
        raise CaseActionRefused({"note": MISSING})
    if len(text) > MAX_TEXT:
        raise CaseActionRefused({"note": TOO_LONG})
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        if not may_act(actor, case, NOTE):
            raise CaseActionRefused({"action": NOT_ALLOWED})
        session.add(CaseNote(submission_id=case.id, author_id=actor.staff_user_id, text=text, at=clock.now(),
                             visible_to_applicant=visible_to_applicant))
        record(session, context, "case.note", municipality_id=municipality_id, object_type="case",
               object_id=reference, visible_to_applicant=visible_to_applicant)


def assign_case(database: Database, actor: Actor, context: AuditContext, municipality_id: str, reference: str,
                assignee_id: int | None) -> None:
    """Give the case to a colleague who works its institution (None: to nobody)."""
    with database.transaction() as session:
        case, _service_id = find_case(session, actor, municipality_id, reference)
        if not may_act(actor, case, ASSIGN):
            raise CaseActionRefused({"action": NOT_ALLOWED})
        institution_id = case.institution_id
    if assignee_id is not None and assignee_id not in {m.id for m in colleagues(database, municipality_id,
                                                                                institution_id)}:
        raise CaseActionRefused({"assignee": NOT_A_COLLEAGUE})
    with database.transaction() as session:
        session.execute(update(Submission).where(Submission.reference == reference)
                        .values(assigned_to_id=assignee_id).execution_options(synchronize_session=False))
        record(session, context, "case.assign", municipality_id=municipality_id, object_type="case",
               object_id=reference, assignee=assignee_id)
