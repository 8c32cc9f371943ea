"""Waiving a fee with a reason (issue 14 part 7, its last bit): a clerk of the case's
institution waives it, audited; a step that `requires: [paid]` then passes; nobody else
may, no reason is no waiver, and a settled fee is not waived twice."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from runtime.storage.models import AuditEntry, FeeWaiver, Submission

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in
from .test_applicant_page import browser_that_sent, staff_post, stored


def signed_in(app, email, role, institution=None, municipality="riga"):
    make_staff(app, email, role, municipality, institution)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def charged_dog_case(app):
    reference = file_case(app, "dog-fee", "riga")
    case = stored(app, reference)
    assert case.fee_total > 0
    return reference, case


def test_a_clerk_waives_the_fee_with_a_reason_and_the_paid_step_passes(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    clerk = signed_in(staff_app, "clerk@riga.lv", "clerk", "environment")
    commission = signed_in(staff_app, "commission@riga.lv", "commission_member", "environment")
    # the compensation is set on the case as the municipality calculated it
    with staff_app.extensions["pkip"].database.transaction() as session:
        session.scalars(select(Submission).where(Submission.reference == reference)).one().fee_total = Decimal("244.80")
    for client, target, data in ((clerk, "in_review", {}), (clerk, "commission", {}),
                                 (commission, "awaiting_payment", {"decision": "Atļauts nocirst."})):
        assert staff_post(client, reference, "/move", target=target, **data).status_code == 303, target
    refused = staff_post(clerk, reference, "/move", target="issued")
    assert refused.status_code == 422 and stored(staff_app, reference).status == "awaiting_payment"
    no_reason = staff_post(clerk, reference, "/waive", waiver_reason=" ")
    assert no_reason.status_code == 422 and "Šis ir jāaizpilda." in no_reason.get_data(as_text=True)
    assert staff_post(clerk, reference, "/waive", waiver_reason="Koks apdraud skolu; pašvaldības lēmums.").status_code == 303
    file = clerk.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert "Atbrīvots no maksas" in file and "Koks apdraud skolu" in file
    assert 'name="waiver_reason"' not in file                        # nothing left to waive
    assert staff_post(clerk, reference, "/move", target="issued").status_code == 303
    assert stored(staff_app, reference).status == "issued"
    with staff_app.extensions["pkip"].database.transaction() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "fee.waive")).one()
    assert audit.object_id == reference and audit.details == {"amount": "244.80"}
    assert "Koks apdraud" not in str(audit.details)                  # the reason stays on the case
    page = browser_that_sent(staff_app, reference).get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Pašvaldība atbrīvoja no maksas" in page and "payment-qr__code" not in page


def test_only_a_clerk_of_the_case_waives_and_only_once(staff_app):
    reference, case = charged_dog_case(staff_app)
    others = [signed_in(staff_app, "commission@riga.lv", "commission_member", case.institution_id),
              signed_in(staff_app, "finance@riga.lv", "finance"),
              signed_in(staff_app, "education@riga.lv", "clerk", "education")]
    for client in others:
        answer = client.post(f"/staff/riga/case/{reference}/waive",
                             data={"csrf_token": csrf_token(client, "/staff/"), "waiver_reason": "Gribu."})
        assert answer.status_code in (404, 422)
    clerk = signed_in(staff_app, "animals@riga.lv", "clerk", case.institution_id)
    assert staff_post(clerk, reference, "/waive", waiver_reason="Invaliditāte, 1. grupa.").status_code == 303
    again = staff_post(clerk, reference, "/waive", waiver_reason="Vēlreiz.")
    assert again.status_code == 422 and "Nav no kā atbrīvot" in again.get_data(as_text=True)
    with staff_app.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(FeeWaiver)) == 1


def test_a_paid_fee_cannot_be_waived(staff_app):
    reference, case = charged_dog_case(staff_app)
    clerk = signed_in(staff_app, "animals@riga.lv", "clerk", case.institution_id)
    assert staff_post(clerk, reference, "/payment", amount=str(case.fee_total), paid_on="2026-03-03").status_code == 303
    assert staff_post(clerk, reference, "/waive", waiver_reason="Par vēlu.").status_code == 422
