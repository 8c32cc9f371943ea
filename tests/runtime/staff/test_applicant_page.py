"""The applicant's page of one case (`/<municipality>/case/<reference>`): the status and
its history with what staff gave with each step, what is due and how to pay, the notes
staff marked visible (never the internal ones or staff names), and nothing for anyone
else. Cases are filed through the same use cases as a resident's submission."""
from __future__ import annotations

from sqlalchemy import select

from runtime.fees import fees_from_json
from runtime.storage.models import Submission

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in


def browser_that_sent(app, reference):
    client = app.test_client()
    with client.session_transaction() as session:
        session["submitted"] = [reference]
    return client


def clerk_of(app, email="clerk@riga.lv", institution="environment"):
    make_staff(app, email, "clerk", "riga", institution, name="Rita Kļava")
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def staff_post(client, reference, tail, **data):
    url = f"/staff/riga/case/{reference}"
    return client.post(url + tail, data={"csrf_token": csrf_token(client, url), **data})


def stored(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        session.expunge(case)
        return case


def test_the_page_shows_status_history_and_only_the_notes_meant_for_the_applicant(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    clerk = clerk_of(staff_app)
    assert staff_post(clerk, reference, "/move", target="in_review").status_code == 303
    staff_post(clerk, reference, "/note", note="Lūdzam gaidīt apsekošanu.", visible="1")
    staff_post(clerk, reference, "/note", note="iekšēja piezīme par kaimiņu")
    resident = browser_that_sent(staff_app, reference)
    response = resident.get(f"/riga/case/{reference}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    assert reference in page and "Atļauja koku ciršanai ārpus meža" in page
    assert "<strong>Izskatīšanā</strong>" in page                       # the state's label, not in_review
    assert "Statuss mainīts: Izskatīšanā" in page                   # the history names the step
    assert "Lūdzam gaidīt apsekošanu." in page
    assert "iekšēja piezīme" not in page and "Rita Kļava" not in page
    assert f"/riga/tree-felling-permit/case/{reference}/application.pdf" in page
    english = resident.get(f"/riga/case/{reference}?lang=en").get_data(as_text=True)
    assert stored(staff_app, reference).due_on is not None and "Answer due" in english and "In review" in english


def test_a_refusal_reason_is_shown_with_its_step(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    clerk = clerk_of(staff_app)
    make_staff(staff_app, "commission@riga.lv", "commission_member", "riga", "environment")
    commission = staff_app.test_client()
    sign_in(commission, "commission@riga.lv")
    for client, target, data in ((clerk, "in_review", {}), (clerk, "commission", {}),
                                 (commission, "refused", {"reason": "Koks ir veselīgs."})):
        assert staff_post(client, reference, "/move", target=target, **data).status_code == 303, target
    page = browser_that_sent(staff_app, reference).get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "<strong>Atteikts</strong>" in page and "Iemesls: Koks ir veselīgs." in page


def test_what_is_due_and_how_to_pay(staff_app):
    reference = file_case(staff_app, "dog-fee", "riga")
    case = stored(staff_app, reference)
    fees = fees_from_json(case.fees)
    assert fees.total > 0, "the first dog-fee test of Riga charges a fee"
    page = browser_that_sent(staff_app, reference).get(f"/riga/case/{reference}").get_data(as_text=True)
    municipality = staff_app.extensions["pkip"].catalogue.municipalities["riga"]
    assert municipality.iban in page and municipality.registration_number in page
    assert "Nav samaksāts" in page                                    # nothing received yet
    assert fees.reference and fees.reference in page
    assert f'data-copy="{municipality.iban}"' in page and "hidden>" in page   # shown by JS only
    assert 'class="payment-qr__code"' in page and "/static/js/copy.js" in page


def test_a_paid_case_shows_no_payment_instructions(staff_app):
    reference = file_case(staff_app, "dog-fee", "riga")
    case = stored(staff_app, reference)
    clerk = clerk_of(staff_app, "animals@riga.lv", case.institution_id)
    answer = staff_post(clerk, reference, "/payment", amount=str(case.fee_total), paid_on="2026-03-03")
    assert answer.status_code == 303
    page = browser_that_sent(staff_app, reference).get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Samaksāts" in page and "payment-qr__code" not in page


def test_nobody_else_sees_the_page_and_it_reads_like_an_unknown_case(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    unknown = "RIX-TFP-2026-999999"
    for client in (staff_app.test_client(), browser_that_sent(staff_app, "RIX-TFP-2026-000999"),
                   clerk_of(staff_app)):
        assert client.get(f"/riga/case/{reference}").status_code == 404
        assert client.get(f"/riga/case/{unknown}").status_code == 404
    # the owner, from another municipality's site, finds nothing either
    assert browser_that_sent(staff_app, reference).get(f"/jurmala/case/{reference}").status_code == 404


def test_my_applications_and_the_confirmation_link_to_the_page(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    client = browser_that_sent(staff_app, reference)
    confirmation = client.get(f"/riga/tree-felling-permit/case/{reference}").get_data(as_text=True)
    assert f'href="/riga/case/{reference}"' in confirmation
