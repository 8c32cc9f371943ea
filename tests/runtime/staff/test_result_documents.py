"""Decisions and result documents (issue 14 part 6): a step into a state whose `result`
names a document renders it from the definition's template, in the applicant's
language, as a tagged PDF through the outbox; the applicant and the case's staff download
it; a plain-data `result_document_ready` message hands it to the publishers; running the
job twice leaves one document and one hand-off."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from sqlalchemy import func, select

from runtime.documents.results import RENDER_RESULT, RESULT_READY, render_result_html
from runtime.storage.models import AuditEntry, OutboxJob, StoredDocument, Submission
from runtime.versions import effective_for_case
from runtime.worker import default_handlers, run_pending

from ..test_documents import pdf_text
from .cases import file_case
from .conftest import make_staff, sign_in
from .test_applicant_page import browser_that_sent, staff_post, stored

DECISION = "Atļauts nocirst vienu ozolu, kas traucē būvniecībai."


def client_of(app, email, role):
    make_staff(app, email, role, "riga", "environment")
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def granted_case(app, locale="lv"):
    reference = file_case(app, "tree-felling-permit", "riga")
    if locale != "lv":
        with app.extensions["pkip"].database.transaction() as session:
            session.scalars(select(Submission).where(Submission.reference == reference)).one().locale = locale
    clerk = client_of(app, "clerk@riga.lv", "clerk")
    commission = client_of(app, "commission@riga.lv", "commission_member")
    for client, target, data in ((clerk, "in_review", {}), (clerk, "commission", {}),
                                 (commission, "issued", {"decision": DECISION})):
        assert staff_post(client, reference, "/move", target=target, **data).status_code == 303, target
    return reference, clerk


def jobs(app, kind):
    with app.extensions["pkip"].database.transaction() as session:
        return [dict(job.payload) for job in session.scalars(select(OutboxJob).where(OutboxJob.kind == kind))]


def test_a_decision_renders_the_permit_and_hands_it_on(staff_app):
    reference, clerk = granted_case(staff_app)
    [job] = jobs(staff_app, RENDER_RESULT)
    assert job["document"] == "permit" and job["decision"] == DECISION
    resident = browser_that_sent(staff_app, reference)
    waiting = resident.get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Koku ciršanas atļauja: tiek sagatavots" in waiting
    assert resident.get(f"/riga/case/{reference}/documents/permit.pdf").status_code == 404
    report = run_pending(staff_app.extensions["pkip"])
    assert not report.failed
    state = staff_app.extensions["pkip"]
    case = stored(staff_app, reference)
    with state.database.transaction() as session:
        document = session.scalars(select(StoredDocument).where(StoredDocument.submission_id == case.id,
                                                                StoredDocument.kind == "permit")).one()
        data = (state.settings.instance_path / document.storage_path).read_bytes()
    text = pdf_text(data)
    assert data.startswith(b"%PDF-") and "/StructTreeRoot" in text and "pdfuaid" in text and "(lv)" in text
    [ready] = jobs(staff_app, RESULT_READY)
    assert ready["reference"] == reference and ready["document"] == "permit"
    assert ready["deliver"] == ["download", "e_address"] and ready["sha256"] == document.sha256
    assert json.loads(json.dumps(ready)) == ready                      # plain data
    assert "010190-15267" not in json.dumps(ready)                     # no personal code in the hand-off
    page = resident.get(f"/riga/case/{reference}").get_data(as_text=True)
    assert "Lejupielādēt: Koku ciršanas atļauja (PDF)" in page and "Atļauja izsniegta" in page
    download = resident.get(f"/riga/case/{reference}/documents/permit.pdf")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Cache-Control"] == "private, no-store"
    assert clerk.get(f"/staff/riga/case/{reference}/documents/permit.pdf").data == data
    with state.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == "case.document")) == 1


def test_the_document_is_in_the_applicants_language_with_the_decision(staff_app):
    reference, _clerk = granted_case(staff_app, locale="en")
    state = staff_app.extensions["pkip"]
    with state.database.transaction() as session:
        case = session.scalars(select(Submission).where(Submission.reference == reference)).one()
        effective = effective_for_case(state.catalogue, session, "riga", case.service_version_id)
        session.expunge(case)
    html = render_result_html(effective, case, "permit", decision=DECISION, decided_on=datetime.date(2026, 3, 20),
                              templates_folder=Path(state.catalogue.root) / "templates")
    assert '<html lang="en">' in html and "Permit to fell trees outside forest" in html
    assert DECISION in html and "Decision (20 March 2026)" in html
    run_pending(state)
    with state.database.transaction() as session:
        assert session.scalars(select(StoredDocument.locale).where(StoredDocument.kind == "permit")).one() == "en"


def test_running_the_job_twice_leaves_one_document_and_one_hand_off(staff_app):
    reference, _clerk = granted_case(staff_app)
    state = staff_app.extensions["pkip"]
    [payload] = jobs(staff_app, RENDER_RESULT)
    handler = default_handlers()[RENDER_RESULT]
    handler(state, payload)
    handler(state, payload)
    with state.database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(StoredDocument)
                              .where(StoredDocument.kind == "permit")) == 1
    assert len(jobs(staff_app, RESULT_READY)) == 1


def test_nobody_else_gets_the_document(staff_app):
    reference, _clerk = granted_case(staff_app)
    run_pending(staff_app.extensions["pkip"])
    other = file_case(staff_app, "tree-felling-permit", "riga")
    for client in (staff_app.test_client(), browser_that_sent(staff_app, other)):
        assert client.get(f"/riga/case/{reference}/documents/permit.pdf").status_code == 404
    owner = browser_that_sent(staff_app, reference)
    assert owner.get(f"/riga/case/{reference}/documents/application.pdf").status_code == 404   # not this route's
    assert owner.get(f"/jurmala/case/{reference}/documents/permit.pdf").status_code == 404


def test_a_refusal_renders_no_document(staff_app):
    reference = file_case(staff_app, "tree-felling-permit", "riga")
    clerk = client_of(staff_app, "clerk@riga.lv", "clerk")
    commission = client_of(staff_app, "commission@riga.lv", "commission_member")
    staff_post(clerk, reference, "/move", target="in_review")
    staff_post(clerk, reference, "/move", target="commission")
    assert staff_post(commission, reference, "/move", target="refused", reason="Koks ir vesels.").status_code == 303
    assert jobs(staff_app, RENDER_RESULT) == []
