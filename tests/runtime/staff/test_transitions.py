"""Every declared process step of every shipped service: made by the role its `by:`
names with what its `requires:` asks, refused to the other role and without its inputs;
steps the service does not declare are refused. Queue services keep their queue in step."""
from __future__ import annotations

import datetime

import pytest
from sqlalchemy import func, select, update

from builder.catalogue import load_catalogue
from runtime.cases.access import is_commission_role
from runtime.cases.audit import AuditContext
from runtime.cases.casefile import CaseNotFound
from runtime.cases.assessments import assess_fee
from runtime.cases.caseflow import (MISSING, NOT_ASSESSED, NOT_DECLARED, NOT_PAID, NOT_YOUR_ROLE, CaseActionRefused,
                                    move_case)
from runtime.cases.clock import Clock
from runtime.storage.models import CaseHistoryEntry, Payment, QueueEntry, Submission

from .cases import file_case
from .conftest import ROOT, make_staff

INPUTS = {"reason": "Neatbilst noteikumiem", "decision": "Atļauts", "date": "2026-09-01"}
CONTEXT = AuditContext("test")
STEPS = [(service.id, step) for service in load_catalogue(ROOT / "definitions").services.values()
         if service.process for step in service.process.transitions]


@pytest.fixture
def members(staff_app):
    made = {}

    def member(role, municipality, institution):
        key = (role, municipality, institution)
        if key not in made:
            made[key] = make_staff(staff_app, f"{role}.{len(made)}@x.lv", role, municipality, institution).actor()
        return made[key]
    return member


def case_in(app, service_id, status):
    reference = file_case(app, service_id)
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Submission).where(Submission.reference == reference).values(status=status))
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        return reference, case.municipality_id, case.institution_id


def move(app, actor, municipality, reference, target, inputs):
    state = app.extensions["pkip"]
    return move_case(state.database, state.catalogue, actor, Clock(), CONTEXT, municipality, reference, target, inputs)


def test_every_declared_step_of_every_shipped_service(staff_app, members):
    """One app for all the steps (a case each): ~40 steps, each checked three ways."""
    assert len(STEPS) > 30
    for service_id, step in STEPS:
        check_step(staff_app, members, service_id, step)


def check_step(app, members, service_id, step):
    where = f"{service_id}: {step.source} -> {step.target}"
    reference, municipality, institution = case_in(app, service_id, step.source)
    kind = "commission_member" if any(is_commission_role(name) for name in step.by) else "clerk"
    right = members(kind, municipality, institution)
    # the other kind is wrong, unless the service declares the same step for it too
    same = [t for s, t in STEPS if s == service_id and (t.source, t.target) == (step.source, step.target)]
    kinds = {"commission_member" if any(is_commission_role(n) for n in t.by) else "clerk" for t in same}
    for wrong_kind in {"clerk", "commission_member"} - kinds:
        with pytest.raises(CaseActionRefused) as refused:
            move(app, members(wrong_kind, municipality, institution), municipality, reference, step.target, INPUTS)
        assert refused.value.errors == {"action": NOT_YOUR_ROLE}, (where, wrong_kind)
    with pytest.raises(CaseNotFound):       # a client service centre clerk does not even see it
        move(app, members("csc_clerk", municipality, None), municipality, reference, step.target, INPUTS)
    texts = [name for name in step.requires if name != "paid"]
    if texts:
        with pytest.raises(CaseActionRefused) as missing:
            move(app, right, municipality, reference, step.target, {})
        assert missing.value.errors == {name: MISSING for name in texts}, where
    if "paid" in step.requires and (to_assess := still_to_assess(app, reference)):
        with pytest.raises(CaseActionRefused) as unassessed:
            move(app, right, municipality, reference, step.target, INPUTS)
        assert unassessed.value.errors == {"action": NOT_ASSESSED}, where
        state = app.extensions["pkip"]
        for fee_id in to_assess:        # the municipality's calculation, so that there is something to pay
            assess_fee(state.database, state.catalogue, right, Clock(), CONTEXT, municipality, reference, fee_id,
                       "12.00", "aprēķināts")
    if "paid" in step.requires and pay_in_full(app, reference):
        with pytest.raises(CaseActionRefused) as unpaid:
            move(app, right, municipality, reference, step.target, INPUTS)
        assert unpaid.value.errors == {"action": NOT_PAID}, where
        pay_in_full(app, reference, now=True)
    assert move(app, right, municipality, reference, step.target, INPUTS) == step.target, where
    with app.extensions["pkip"].database.transaction() as session:
        last = session.scalars(select(CaseHistoryEntry).join(Submission).where(Submission.reference == reference)
                               .order_by(CaseHistoryEntry.id.desc())).first()
        assert (last.from_status, last.to_status) == (step.source, step.target), where
        assert all(INPUTS[name] in (last.note or "") for name in texts), where


def still_to_assess(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        fees = session.scalar(select(Submission.fees).where(Submission.reference == reference)) or {}
        return [entry["id"] for entry in fees.get("to_assess") or ()]


def pay_in_full(app, reference, now=False):
    """Whether the case has a fee to pay; with `now`, record its payment."""
    with app.extensions["pkip"].database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        if now:
            session.add(Payment(municipality_id=case.municipality_id, submission_id=case.id, amount=case.fee_total,
                                currency="EUR", paid_on=datetime.date(2026, 3, 3), source="manual"))
        return case.fee_total > 0


def test_a_step_that_is_not_declared_is_refused(staff_app, members):
    reference, municipality, institution = case_in(staff_app, "tree-felling-permit", "submitted")
    with pytest.raises(CaseActionRefused) as refused:
        move(staff_app, members("clerk", municipality, institution), municipality, reference, "issued", INPUTS)
    assert refused.value.errors == {"action": NOT_DECLARED}


def test_a_preschool_case_leaves_its_queues_when_withdrawn(staff_app, members):
    reference, municipality, institution = case_in(staff_app, "preschool-queue", "submitted")
    clerk = members("clerk", municipality, institution)

    def entries():
        with staff_app.extensions["pkip"].database.transaction() as session:
            return session.scalar(select(func.count()).select_from(QueueEntry).join(Submission)
                                  .where(Submission.reference == reference))
    assert entries() > 0
    move(staff_app, clerk, municipality, reference, "in_queue", INPUTS)
    assert entries() > 0
    move(staff_app, clerk, municipality, reference, "withdrawn", INPUTS)
    assert entries() == 0
