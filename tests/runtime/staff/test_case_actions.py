"""Every POST that acts on one case shares one shape (`casefile.case_action`): done, it
goes back to the case file at the action's part of the page; refused, the case file
again (422) with what was refused in words and the form as it was sent; on a case that
does not exist, 404 and nothing done."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from runtime.storage.models import AuditEntry

from .cases import file_case
from .conftest import csrf_token, make_staff, sign_in

MISSING = "Šis ir jāaizpilda."
# tail, a form that is done, where it lands, a form that is refused, what the page then says;
# on a dog fee case just submitted, but for the request (a tree felling permit in review)
ACTIONS = [
    ("/move", {"target": "awaiting_payment"}, "", {"target": "paid"},
     "Šis solis nav iespējams no lietas pašreizējā statusa."),
    ("/note", {"note": "Pārbaudīts LDC reģistrā."}, "#notes", {"note": "x" * 5001}, None),
    ("/assign", {"assignee": "me"}, "", {"assignee": "999999"}, None),
    ("/request", {"question": "Lūdzu, pievienojiet vakcinācijas pasi."}, "#requests", {"question": "  "}, MISSING),
    ("/waive", {"waiver_reason": "Pašvaldības lēmums."}, "#fees", {"waiver_reason": "  "}, MISSING),
    ("/payment", {"amount": "1.00", "paid_on": "2026-03-03"}, "#fees", {"amount": "twelve", "paid_on": "2026-03-03"},
     None),
]


@pytest.fixture
def clerk_case(staff_app, request):
    asking = "/request" in request.node.callspec.id
    institution, service = ("environment", "tree-felling-permit") if asking else ("animal_register", "dog-fee")
    clerk = make_staff(staff_app, "clerk@riga.lv", "clerk", "riga", institution, name="Rita Kļava")
    client = staff_app.test_client()
    assert sign_in(client, "clerk@riga.lv").status_code == 302
    reference = file_case(staff_app, service, "riga")
    if asking:
        assert send(client, reference, "/move", {"target": "in_review"}, clerk.id).status_code == 303
    return staff_app, client, clerk.id, reference


def send(client, reference, tail, form, clerk_id, token_from="/staff/riga/inbox"):
    if form.get("assignee") == "me":
        form = {**form, "assignee": str(clerk_id)}
    return client.post(f"/staff/riga/case/{reference}{tail}",
                       data={"csrf_token": csrf_token(client, token_from), **form})


def audit_count(app):
    with app.extensions["pkip"].database.transaction() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action != "case.view"))


@pytest.mark.parametrize("tail, done, fragment, refused, message", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_a_case_action_done_goes_back_to_its_part_of_the_case_file(clerk_case, tail, done, fragment, refused,
                                                                   message):
    app, client, clerk_id, reference = clerk_case
    response = send(client, reference, tail, done, clerk_id)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/riga/case/{reference}{fragment}")


@pytest.mark.parametrize("tail, done, fragment, refused, message", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_a_case_action_refused_shows_the_case_file_with_why_and_the_form(clerk_case, tail, done, fragment, refused,
                                                                         message):
    app, client, clerk_id, reference = clerk_case
    before = audit_count(app)
    response = send(client, reference, tail, refused, clerk_id)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert reference in page and 'class="error' in page
    if message:
        assert message in page
    assert audit_count(app) == before                     # nothing was done


@pytest.mark.parametrize("tail, done, fragment, refused, message", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_a_case_action_on_a_case_that_does_not_exist_is_404(clerk_case, tail, done, fragment, refused, message):
    app, client, clerk_id, reference = clerk_case
    before = audit_count(app)
    assert send(client, "RIGA-0000-NOSUCH", tail, done, clerk_id).status_code == 404
    assert audit_count(app) == before
