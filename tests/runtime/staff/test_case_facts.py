"""The staff's case file and the applicant's own case build on one `CaseFacts`: for the
same case both read the same shared facts, and the applicant's side gets none of the
staff's own (internal notes, uploads, the queue, colleagues, who it is assigned to)."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

from runtime.cases.access import Actor
from runtime.cases.audit import AuditContext
from runtime.cases.case_facts import CaseFacts
from runtime.cases.caseflow import add_note
from runtime.cases.casefile import CaseFile, open_case_file
from runtime.cases.clock import Clock
from runtime.cases.own_case import OwnCase, open_own_case
from runtime.cases.payments import record_payment

from .cases import file_case
from .conftest import make_staff

CONTEXT = AuditContext("test")
SHARED = [f.name for f in dataclasses.fields(CaseFacts)]


def test_both_sides_read_the_same_shared_facts_and_only_staff_the_rest(staff_app):
    state = staff_app.extensions["pkip"]
    clerk = make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "animal_register").actor()
    reference = file_case(staff_app, "dog-fee", "riga")
    applicant = Actor(submitted=frozenset({reference}))
    add_note(state.database, clerk, Clock(), CONTEXT, "riga", reference, "Iekšēja piezīme.", False)
    add_note(state.database, clerk, Clock(), CONTEXT, "riga", reference, "Redzama piezīme.", True)
    record_payment(state.database, clerk, Clock(), CONTEXT, "riga", reference, "1.00", "2026-03-03", "")
    staff_side = open_case_file(state.database, state.catalogue, clerk, Clock(), CONTEXT, "riga", reference, "lv")
    own = open_own_case(state.database, state.catalogue, applicant, "riga", reference)
    assert isinstance(staff_side, CaseFile) and isinstance(own, OwnCase)
    assert own.paid == staff_side.paid == Decimal("1.00")
    assert own.payment_state == staff_side.payment_state == "partly_paid"
    assert own.case.reference == staff_side.case.reference == reference
    for name in ("service_id", "requests"):
        assert getattr(own, name) == getattr(staff_side, name), name
    assert own.fees.total == staff_side.fees.total > 0
    assert [d.document_id for d in own.documents] == [d.document_id for d in staff_side.documents]
    assert [n.text for n in staff_side.notes] == ["Iekšēja piezīme.", "Redzama piezīme."]
    assert [n.text for n in own.notes] == ["Redzama piezīme."]
    own_fields = {f.name for f in dataclasses.fields(OwnCase)}
    assert own_fields == set(SHARED) | {"history", "notes"}
    assert not own_fields & {"uploads", "queue", "colleagues", "assigned_to", "applicant", "payments", "waiver"}
