"""Payments: camt.053 import matched, partly paid, overpaid, unknown reference, the same
statement twice; a hand-recorded payment; a step that requires payment before it."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from runtime.cases.audit import AuditContext
from runtime.cases.caseflow import NOT_PAID, CaseActionRefused, move_case
from runtime.cases.clock import Clock
from runtime.cases.payments import OVERPAID, PAID, PARTLY_PAID, UNMATCHED, import_statement
from runtime.storage.models import Payment, Submission

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in
from .statements import statement

CONTEXT = AuditContext("test")


@pytest.fixture
def riga(staff_app):
    finance = make_staff(staff_app, "finance@riga.lv", "finance", "riga").actor()
    clerk = make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "animal_register").actor()
    reference = file_case(staff_app, "dog-fee", "riga")
    with staff_app.extensions["pkip"].database.transaction() as session:
        fee = session.scalar(select(Submission.fee_total).where(Submission.reference == reference))
    assert fee > 0
    return staff_app, finance, clerk, reference, fee


def imported(app, actor, data):
    return import_statement(app.extensions["pkip"].database, actor, Clock(), CONTEXT, "riga", data)


def paid(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).join(Submission)
                              .where(Submission.reference == reference))


def test_a_payment_of_the_whole_fee_matches_its_case(riga):
    app, finance, _clerk, reference, fee = riga
    report = imported(app, finance, statement([(fee, f"Nodeva {reference}", "TX-1")], debit="5.00", pending=fee))
    assert report.by_outcome == {PAID: [reference]}      # the debit and the pending credit are not payments
    assert paid(app, reference) == fee


def test_partly_paid_then_paid_and_overpaid(riga):
    app, finance, _clerk, reference, fee = riga
    half = (fee / 2).quantize(Decimal("0.01"))
    assert imported(app, finance, statement([(half, reference, "TX-1")], "S1")).by_outcome == {PARTLY_PAID: [reference]}
    assert imported(app, finance, statement([(fee - half, reference.lower(), "TX-2")], "S2")).by_outcome == \
        {PAID: [reference]}
    assert imported(app, finance, statement([("1.00", reference, "TX-3")], "S3")).by_outcome == {OVERPAID: [reference]}


def test_an_unknown_reference_is_kept_for_a_person_and_listed(riga):
    app, finance, _clerk, reference, fee = riga
    report = imported(app, finance, statement([(fee, "RIX-XXX-2026-999999", "TX-9")]))
    assert report.by_outcome == {UNMATCHED: [f"{fee} RIX-XXX-2026-999999"]}
    assert paid(app, reference) == 0
    client = app.test_client()
    sign_in(client, "finance@riga.lv")
    assert "RIX-XXX-2026-999999" in client.get("/staff/riga/payments").get_data(as_text=True)


def test_the_same_statement_twice_pays_once(riga):
    app, finance, _clerk, reference, fee = riga
    data = statement([(fee, reference, "TX-1"), ("3.00", "nobody", "TX-2")])
    imported(app, finance, data)
    again = imported(app, finance, data)
    assert again.duplicates == 2 and again.by_outcome == {}
    assert paid(app, reference) == fee


def test_the_import_page_refuses_a_doctype_and_stores_nothing(riga):
    app, *_ = riga
    client = app.test_client()
    sign_in(client, "finance@riga.lv")
    bomb = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>'
    response = client.post("/staff/riga/payments", data={"csrf_token": csrf_token(client, "/staff/riga/payments"),
                                                         "statement": (io.BytesIO(bomb), "s.xml")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "DOCTYPE" in response.get_data(as_text=True)
    with app.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 0


def test_a_clerk_records_a_payment_by_hand(riga):
    app, _finance, _clerk, reference, fee = riga
    client = app.test_client()
    sign_in(client, "clerk@riga.lv")
    url = f"/staff/riga/case/{reference}"
    response = client.post(url + "/payment", data={"csrf_token": csrf_token(client, url), "amount": str(fee),
                                                   "paid_on": "2026-03-05", "payment_note": "kase"})
    assert response.status_code == 303 and paid(app, reference) == fee
    bad = client.post(url + "/payment", data={"csrf_token": csrf_token(client, url), "amount": "-1"})
    assert bad.status_code == 422 and paid(app, reference) == fee


def test_the_case_file_says_by_when_the_fee_is_to_be_paid(riga):
    app, _finance, _clerk, reference, _fee = riga
    client = app.test_client()
    sign_in(client, "clerk@riga.lv")
    with app.extensions["pkip"].database.transaction() as session:
        due = session.scalar(select(Submission.payment_due_on).where(Submission.reference == reference))
    assert due is not None                          # the dog fee's fees.due, worked out at submission
    html = client.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert f"Samaksāt līdz: {due.year}. gada" in html


def test_a_step_that_requires_payment_waits_for_it(riga):
    app, finance, clerk, reference, fee = riga
    state = app.extensions["pkip"]
    with state.database.transaction() as session:
        session.execute(update(Submission).where(Submission.reference == reference).values(status="awaiting_payment"))
    accountant_step = ("riga", reference, "paid", {})
    with pytest.raises(CaseActionRefused) as refused:
        move_case(state.database, state.catalogue, clerk, Clock(), CONTEXT, *accountant_step)
    assert refused.value.errors == {"action": NOT_PAID}
    imported(app, finance, statement([(fee, reference, "TX-1")]))
    assert move_case(state.database, state.catalogue, clerk, Clock(), CONTEXT, *accountant_step) == "paid"
