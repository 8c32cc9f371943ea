"""Amounts staff set (`fees.assessed`): Riga's tree felling compensation is "calculated by
the municipality". Until a clerk sets it, the permit (a step that `requires: [paid]`) is
refused; once set it is a fee line of the case, to be paid (by hand or by a bank
statement) or waived, and the applicant's page shows it with the payment details."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from runtime.cases.payments import NOT_ASSESSED, WAIVED, payment_state
from runtime.storage.models import AuditEntry, FeeAssessment, Submission

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in
from .statements import statement
from .test_applicant_page import browser_that_sent, staff_post, stored

FEE = "compensation_by_municipality"


@pytest.fixture
def riga(staff_app):
    for email, role, institution in (("clerk@riga.lv", "clerk", "environment"),
                                     ("commission@riga.lv", "commission_member", "environment"),
                                     ("finance@riga.lv", "finance", None)):
        make_staff(staff_app, email, role, "riga", institution)
    return staff_app


def signed_in(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def granted(app):
    """A tree felling case of Riga the commission granted: it waits for the compensation."""
    reference = file_case(app, "tree-felling-permit", "riga")
    clerk, commission = signed_in(app, "clerk@riga.lv"), signed_in(app, "commission@riga.lv")
    for client, target, data in ((clerk, "in_review", {}), (clerk, "commission", {}),
                                 (commission, "awaiting_payment", {"decision": "Atļauts nocirst."})):
        assert staff_post(client, reference, "/move", target=target, **data).status_code == 303, target
    return reference, clerk


def assess(client, reference, amount="24.48", reason="50 cm x 2.00 x 1.2 x 1.5 x 0.8 x 0.17"):
    return staff_post(client, reference, "/assess", fee=FEE, assessed_amount=amount, assessed_reason=reason)


def issue(client, reference):
    return staff_post(client, reference, "/move", target="issued")


def test_the_permit_waits_until_the_compensation_is_set_and_paid(riga):
    reference, clerk = granted(riga)
    case = stored(riga, reference)
    assert case.fee_total == Decimal("0.00") and [e["id"] for e in case.fees["to_assess"]] == [FEE]
    refused = issue(clerk, reference)
    assert refused.status_code == 422 and "pašvaldības aprēķinātā summa" in refused.get_data(as_text=True)
    assert 'name="assessed_amount"' in clerk.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert assess(clerk, reference).status_code == 303
    case = stored(riga, reference)
    assert case.fee_total == Decimal("24.48") and case.fees["to_assess"] == []
    assert case.fees["lines"][-1]["id"] == FEE and case.fees["total"] == "24.48"
    assert issue(clerk, reference).status_code == 422                 # set, not yet paid
    assert staff_post(clerk, reference, "/payment", amount="24.48").status_code == 303
    assert issue(clerk, reference).status_code == 303
    assert stored(riga, reference).status == "issued"
    with riga.extensions["pkip"].database.transaction() as session:
        [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "fee.assess"))
        assert entry.details["amount"] == "24.48" and "x 0.17" not in str(entry.details)   # no reason in the log
        assert session.scalars(select(FeeAssessment.reason)).one().endswith("x 0.17")


def test_a_bank_statement_pays_the_assessed_compensation(riga):
    reference, clerk = granted(riga)
    assess(clerk, reference)
    finance = signed_in(riga, "finance@riga.lv")
    data = {"csrf_token": csrf_token(finance, "/staff/riga/payments"),
            "statement": (io.BytesIO(statement([("24.48", f"Kompensacija {reference}", "TX-77")])), "s.xml")}
    assert finance.post("/staff/riga/payments", data=data, content_type="multipart/form-data").status_code == 200
    assert issue(clerk, reference).status_code == 303


def test_a_waiver_settles_a_compensation_not_yet_set(riga):
    reference, clerk = granted(riga)
    assert staff_post(clerk, reference, "/waive", waiver_reason="Koks apdraud ēku").status_code == 303
    assert issue(clerk, reference).status_code == 303


def test_what_is_refused(riga):
    reference, clerk = granted(riga)
    assert assess(clerk, reference, amount="12,345").status_code == 422
    assert assess(clerk, reference, amount="-1").status_code == 422
    assert assess(clerk, reference, reason=" ").status_code == 422
    commission = signed_in(riga, "commission@riga.lv")
    assert assess(commission, reference).status_code == 422           # the service gives it to clerks
    assert staff_post(clerk, reference, "/assess", fee="something_else", assessed_amount="1.00",
                      assessed_reason="x").status_code == 422
    with riga.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FeeAssessment)) == 0
    assert assess(clerk, reference, amount="0").status_code == 303     # after all, nothing is due
    assert assess(clerk, reference, amount="5.00").status_code == 422  # set once
    assert stored(riga, reference).fee_total == Decimal("0.00")
    assert issue(clerk, reference).status_code == 303


def test_a_case_that_owes_no_compensation_offers_no_assessment(riga):
    # outside city and village territory no compensation is due (the definition's own test)
    service = riga.extensions["pkip"].catalogue.services["tree-felling-permit"]
    index = next(i for i, t in enumerate(service.tests) if t.name.startswith("outside city and village"))
    reference = file_case(riga, "tree-felling-permit", "riga", test_index=index)
    clerk = signed_in(riga, "clerk@riga.lv")
    assert stored(riga, reference).fees["to_assess"] == []
    assert 'name="assessed_amount"' not in clerk.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert assess(clerk, reference).status_code == 422


def test_the_applicant_sees_the_amount_once_it_is_set(riga):
    reference, clerk = granted(riga)
    resident = browser_that_sent(riga, reference)
    page = resident.get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Pašvaldība aprēķinās summu" in page and "LV89RIKO0023300000000" not in page
    assess(clerk, reference)
    page = resident.get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "24,48" in page and "LV89RIKO0023300000000" in page and "Pašvaldība aprēķinās summu" not in page


def test_an_amount_to_assess_is_not_settled_unless_waived():
    assert payment_state(Decimal("0.00"), Decimal("0.00"), to_assess=True) == NOT_ASSESSED
    assert payment_state(Decimal("10.00"), Decimal("10.00"), to_assess=True) == NOT_ASSESSED
    assert payment_state(Decimal("0.00"), Decimal("0.00"), waived=True, to_assess=True) == WAIVED
    assert payment_state(Decimal("0.00"), Decimal("0.00")) == "nothing_due"


def test_case_rows_are_untouched_by_a_refused_assessment(riga):
    reference, clerk = granted(riga)
    before = stored(riga, reference).fees
    assess(clerk, reference, amount="abc")
    with riga.extensions["pkip"].database.transaction() as session:
        assert session.scalars(select(Submission.fees).where(Submission.reference == reference)).one() == before
