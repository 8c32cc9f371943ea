"""Information requests (issue 14 part 5): a clerk asks the applicant for more information
or files; the applicant sees it on the case's page and answers there, with files checked
like the form's; the case returns to the state it was asked from, and its due date
follows the service's rule (tree felling pauses it, street trading lets it run on)."""
from __future__ import annotations

import datetime
import io

from sqlalchemy import func, select

from builder.expressions.dates import working_days_add, working_days_between
from runtime.cases.requests import cases_awaiting_answer
from runtime.storage.models import AuditEntry, CaseHistoryEntry, InformationRequest, Submission, Upload

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in
from .test_applicant_page import browser_that_sent, staff_post, stored

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ASKED_ON, ANSWERED_ON = datetime.date(2026, 3, 4), datetime.date(2026, 3, 11)


def signed_in(app, email, role="clerk", institution="environment"):
    make_staff(app, email, role, "riga", institution)
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def ask(app, clerk, reference, question="Lūdzu, pievienojiet koka fotoattēlu.", **extra):
    app.config["PKIP_TODAY"] = ASKED_ON
    return staff_post(clerk, reference, "/request", question=question, wants_files="1", **extra)


def answer(app, client, reference, request_id, text="Pievienoju fotoattēlu.", files=()):
    app.config["PKIP_TODAY"] = ANSWERED_ON
    page = f"/riga/case/{reference}"
    data = {"csrf_token": csrf_token(client, "/riga/tree-felling-permit/"), "answer": text,
            "files": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"{page}/requests/{request_id}", data=data, content_type="multipart/form-data")


def only_request(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        case_id = session.scalar(select(Submission.id).where(Submission.reference == reference))
        row = session.scalars(select(InformationRequest).where(InformationRequest.submission_id == case_id)).one()
        session.expunge(row)
        return row


def reviewed_tree_case(app):
    reference = file_case(app, "tree-felling-permit", "riga")
    clerk = signed_in(app, "clerk@riga.lv")
    assert staff_post(clerk, reference, "/move", target="in_review").status_code == 303
    return reference, clerk


def test_a_request_waits_for_the_answer_which_returns_the_case_and_pauses_its_due_date(staff_app):
    reference, clerk = reviewed_tree_case(staff_app)
    due_before = stored(staff_app, reference).due_on
    assert ask(staff_app, clerk, reference).status_code == 303
    assert stored(staff_app, reference).status == "awaiting_information"
    request = only_request(staff_app, reference)
    assert request.returns_to == "in_review" and request.asked_on == ASKED_ON
    assert request.answer_by == working_days_add(ASKED_ON, 10)            # the service's answer_days
    file = clerk.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert "Lūdzu, pievienojiet koka fotoattēlu." in file and "Vēl nav atbildēts" in file
    resident = browser_that_sent(staff_app, reference)
    page = resident.get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Lūdzu, pievienojiet koka fotoattēlu." in page and 'enctype="multipart/form-data"' in page
    assert "PDF, JPEG vai PNG" in page                                   # the allowed types, before choosing
    answered = answer(staff_app, resident, reference, request.id, files=[("ozols.png", PNG)])
    assert answered.status_code == 303 and "answered=1" in answered.headers["Location"]
    case = stored(staff_app, reference)
    assert case.status == "in_review"
    assert case.due_on == working_days_add(due_before, working_days_between(ASKED_ON, ANSWERED_ON))
    assert case.due_on > due_before
    with staff_app.extensions["pkip"].database.transaction() as session:
        steps = [(h.from_status, h.to_status, h.actor) for h in session.scalars(
            select(CaseHistoryEntry).where(CaseHistoryEntry.submission_id == case.id).order_by(CaseHistoryEntry.id))]
        upload = session.scalars(select(Upload).where(Upload.field_path == f"request:{request.id}")).one()
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "case.request"))
    assert steps[-2][:2] == ("in_review", "awaiting_information") and steps[-2][2].startswith("staff:")
    assert steps[-1] == ("awaiting_information", "in_review", "browser")
    assert upload.submission_id == case.id and upload.media_type == "image/png" and audited == 1
    file = clerk.get(f"/staff/riga/case/{reference}").get_data(as_text=True)
    assert "Pievienoju fotoattēlu." in file and "ozols.png" in file
    assert clerk.get(f"/staff/riga/case/{reference}/file/{upload.id}").status_code == 200
    again = resident.get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Jūs atbildējāt" in again and f"/uploads/{upload.id}" in again
    assert resident.get(f"/uploads/{upload.id}").status_code == 200


def test_a_service_whose_term_runs_on_keeps_the_due_date(staff_app):
    reference = file_case(staff_app, "street-trading-permit", "riga")
    institution = stored(staff_app, reference).institution_id
    clerk = signed_in(staff_app, "trade@riga.lv", institution=institution)
    assert staff_post(clerk, reference, "/move", target="in_review").status_code == 303
    due_before = stored(staff_app, reference).due_on
    assert ask(staff_app, clerk, reference, question="Pievienojiet zemes īpašnieka piekrišanu.").status_code == 303
    request = only_request(staff_app, reference)
    assert answer(staff_app, browser_that_sent(staff_app, reference), reference, request.id).status_code == 303
    case = stored(staff_app, reference)
    assert case.status == "in_review" and case.due_on == due_before


def test_refused_requests_say_why(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    clerk = signed_in(staff_app, "clerk@riga.lv")
    commission = signed_in(staff_app, "commission@riga.lv", role="commission_member")
    empty = ask(staff_app, clerk, reference, question="  ")
    assert empty.status_code == 422 and "Šis ir jāaizpilda." in empty.get_data(as_text=True)
    wrong_role = ask(staff_app, commission, reference)                   # the service gives it to clerks
    assert wrong_role.status_code == 422 and "uztic citai lomai" in wrong_role.get_data(as_text=True)
    assert stored(staff_app, reference).status == "submitted"
    street = file_case(staff_app, "street-trading-permit", "riga")
    trade = signed_in(staff_app, "trade@riga.lv", institution=stored(staff_app, street).institution_id)
    refused = ask(staff_app, trade, street)                              # only from in_review there
    assert refused.status_code == 422 and "nav iespējams" in refused.get_data(as_text=True)
    assert stored(staff_app, street).status == "submitted"


def test_a_bad_answer_loses_nothing_and_stores_nothing(staff_app):
    reference, clerk = reviewed_tree_case(staff_app)
    ask(staff_app, clerk, reference)
    request = only_request(staff_app, reference)
    resident = browser_that_sent(staff_app, reference)
    empty = answer(staff_app, resident, reference, request.id, text="")
    assert empty.status_code == 422 and "Uzrakstiet atbildi vai pievienojiet datni." in empty.get_data(as_text=True)
    wrong = answer(staff_app, resident, reference, request.id, text="mans teksts paliek",
                   files=[("virus.exe", b"MZ\x90\x00 not an image")])
    page = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "mans teksts paliek" in page and 'href="#files-' in page
    assert stored(staff_app, reference).status == "awaiting_information"
    with staff_app.extensions["pkip"].database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Upload)) == 0
    assert answer(staff_app, resident, reference, request.id).status_code == 303
    twice = answer(staff_app, resident, reference, request.id)
    assert twice.status_code == 422 and "jau ir atbildēts" in twice.get_data(as_text=True)


def test_nobody_else_can_answer(staff_app):
    reference, clerk = reviewed_tree_case(staff_app)
    ask(staff_app, clerk, reference)
    request = only_request(staff_app, reference)
    stranger = browser_that_sent(staff_app, "RIX-KOC-2026-000999")
    assert answer(staff_app, stranger, reference, request.id).status_code == 404
    other = file_case(staff_app, "tree-felling-permit", "riga")
    # the owner of another case cannot answer this case's request through their own
    assert answer(staff_app, browser_that_sent(staff_app, other), other, request.id).status_code == 422
    assert stored(staff_app, reference).status == "awaiting_information"


def test_my_applications_knows_which_cases_await_an_answer(staff_app):
    reference, clerk = reviewed_tree_case(staff_app)
    quiet = file_case(staff_app, "tree-felling-permit", "riga")
    ask(staff_app, clerk, reference)
    asked, other = stored(staff_app, reference), stored(staff_app, quiet)
    with staff_app.extensions["pkip"].database.transaction() as session:
        assert cases_awaiting_answer(session, [asked.id, other.id]) == {asked.id}
    answer(staff_app, browser_that_sent(staff_app, reference), reference, only_request(staff_app, reference).id)
    with staff_app.extensions["pkip"].database.transaction() as session:
        assert cases_awaiting_answer(session, [asked.id, other.id]) == set()
