"""The inbox, the case file and the process: a clerk and a commission member of Riga's
environment department work a tree felling permit."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from runtime.storage.models import AuditEntry, CaseHistoryEntry, Submission

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in


@pytest.fixture
def riga(staff_app):
    make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
    make_staff(staff_app, "commission@riga.lv", "commission_member", "riga", "environment", name="Juris Ozols")
    return staff_app


def client_of(app, email):
    client = app.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def case_url(reference, tail=""):
    return f"/staff/riga/case/{reference}{tail}"


def post(client, reference, tail, **data):
    return client.post(case_url(reference, tail), data={"csrf_token": csrf_token(client, case_url(reference)), **data})


def status_of(app, reference):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(Submission.status).where(Submission.reference == reference))


def test_the_inbox_lists_the_institutions_cases_with_counts_and_due_dates(riga):
    reference = file_case(riga, "tree-felling-permit", "riga")
    clerk = client_of(riga, "clerk@riga.lv")
    page = clerk.get("/staff/riga/inbox").get_data(as_text=True)
    assert reference in page and "Jānis Bērziņš" in page
    assert re.search(r"Iesniegts</a>: 1", page)
    found = clerk.get("/staff/riga/inbox?q=bērziņš").get_data(as_text=True)
    assert reference in found
    assert reference not in clerk.get("/staff/riga/inbox?q=nobody-at-all").get_data(as_text=True)
    assert reference in clerk.get(f"/staff/riga/inbox?q={reference[:8]}").get_data(as_text=True)
    assert reference not in clerk.get("/staff/riga/inbox?mine=1").get_data(as_text=True)
    assert reference not in clerk.get("/staff/riga/inbox?service=dog-fee").get_data(as_text=True)
    assert reference in clerk.get("/staff/riga/inbox?channel=e-service").get_data(as_text=True)


def test_overdue_and_due_soon_are_marked_and_filtered(riga, monkeypatch):
    reference = file_case(riga, "tree-felling-permit", "riga")
    with riga.extensions["pkip"].database.transaction() as session:
        due = session.scalar(select(Submission.due_on).where(Submission.reference == reference))
    clerk = client_of(riga, "clerk@riga.lv")
    riga.config["PKIP_TODAY"] = due
    page = clerk.get("/staff/riga/inbox?due=within&within=0").get_data(as_text=True)
    assert reference in page and "Drīz termiņš" in page
    riga.config["PKIP_TODAY"] = due.replace(year=due.year + 1)
    page = clerk.get("/staff/riga/inbox?due=overdue").get_data(as_text=True)
    assert reference in page and "Nokavēts" in page
    assert "Nokavēts" in clerk.get(case_url(reference)).get_data(as_text=True)


def test_the_case_file_shows_answers_route_history_and_records_the_view(riga):
    reference = file_case(riga, "tree-felling-permit", "riga")
    clerk = client_of(riga, "clerk@riga.lv")
    page = clerk.get(case_url(reference)).get_data(as_text=True)
    for expected in ("Jānis Bērziņš", "janis@example.lv", "0100 012 0034", "ozols.jpg", "Sākt izskatīt"):
        assert expected in page, expected
    assert "010190-15267" not in page.split("Atbildes")[0]     # no personal code among the facts
    with riga.extensions["pkip"].database.transaction() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == reference)).all()
    assert actions == ["case.view"]


def test_the_tree_felling_process_from_submission_to_the_permit(riga):
    reference = file_case(riga, "tree-felling-permit", "riga")
    clerk, commission = client_of(riga, "clerk@riga.lv"), client_of(riga, "commission@riga.lv")
    assert post(clerk, reference, "/move", target="in_review").status_code == 303
    assert post(clerk, reference, "/move", target="commission").status_code == 303
    # the commission's step is not the clerk's
    refused = post(clerk, reference, "/move", target="awaiting_payment", decision="Granted")
    assert refused.status_code == 422 and "citai lomai" in refused.get_data(as_text=True)
    assert status_of(riga, reference) == "commission"
    # a grant needs its decision text
    missing = post(commission, reference, "/move", target="awaiting_payment")
    assert missing.status_code == 422 and "Šis ir jāaizpilda" in missing.get_data(as_text=True)
    assert post(commission, reference, "/move", target="awaiting_payment",
                decision="Atļauts nocirst vienu ozolu").status_code == 303
    assert post(commission, reference, "/move", target="issued").status_code == 422   # finance's or clerk's step
    assert post(clerk, reference, "/move", target="issued").status_code == 422   # the compensation is not set yet
    assert post(clerk, reference, "/assess", fee="compensation_by_municipality", assessed_amount="0.00",
                assessed_reason="Kompensācija nav jāmaksā").status_code == 303
    assert post(clerk, reference, "/move", target="issued").status_code == 303
    assert status_of(riga, reference) == "issued"
    with riga.extensions["pkip"].database.transaction() as session:
        history = session.execute(select(CaseHistoryEntry.to_status, CaseHistoryEntry.note)
                                  .join(Submission).where(Submission.reference == reference)
                                  .order_by(CaseHistoryEntry.id)).all()
    assert [h[0] for h in history] == ["submitted", "in_review", "commission", "awaiting_payment", "issued"]
    assert history[3][1] == "decision: Atļauts nocirst vienu ozolu"
    # final: no step is offered, and one that is not declared is refused
    assert post(clerk, reference, "/move", target="in_review").status_code == 422


def test_a_refusal_needs_its_reason(riga):
    reference = file_case(riga, "tree-felling-permit", "riga")
    clerk, commission = client_of(riga, "clerk@riga.lv"), client_of(riga, "commission@riga.lv")
    post(clerk, reference, "/move", target="in_review")
    post(clerk, reference, "/move", target="commission")
    assert post(commission, reference, "/move", target="refused", reason="  ").status_code == 422
    assert status_of(riga, reference) == "commission"
    assert post(commission, reference, "/move", target="refused", reason="Koks ir vesels").status_code == 303
    assert status_of(riga, reference) == "refused"


def test_notes_and_assignment(riga):
    reference = file_case(riga, "tree-felling-permit", "riga")
    clerk = client_of(riga, "clerk@riga.lv")
    assert post(clerk, reference, "/note", note="Jāpārbauda zemesgrāmata").status_code == 303
    assert post(clerk, reference, "/note", note="Lūdzam pievienot fotoattēlu", visible="1").status_code == 303
    assert post(clerk, reference, "/note", note="").status_code == 422
    page = clerk.get(case_url(reference)).get_data(as_text=True)
    assert "Jāpārbauda zemesgrāmata" in page and "iekšēja" in page and "redzama iesniedzējam" in page
    colleague = re.search(r'<option value="(\d+)"[^>]*>Juris Ozols', page).group(1)
    assert post(clerk, reference, "/assign", assignee=colleague).status_code == 303
    assert "Juris Ozols" in client_of(riga, "commission@riga.lv").get("/staff/riga/inbox?mine=1").get_data(as_text=True)
    assert post(clerk, reference, "/assign", assignee="99999").status_code == 422
